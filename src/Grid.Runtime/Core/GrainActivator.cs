using System.Collections.Concurrent;
using System.Reflection;
using Grid.Runtime.Hosting;
using Grid.Runtime.Persistence;
using Microsoft.Extensions.DependencyInjection;

namespace Grid.Runtime.Core;

/// <summary>
/// Builds grain instances: constructor parameters come from the service provider, except those marked
/// [PersistentState], which get a state facet bound to the activation (read before OnActivateAsync).
/// </summary>
internal sealed class GrainActivator(IServiceProvider services, GrainStateSerializer serializer)
{
    private readonly ConcurrentDictionary<Type, ConstructorPlan> _plans = new();

    public (Grain Grain, IReadOnlyList<IPersistentStateLoader> States) Create(GrainTypeInfo type, ActivationData activation)
    {
        var plan = _plans.GetOrAdd(type.GrainClass, Plan);
        var arguments = new object?[plan.Parameters.Length];
        var states = new List<IPersistentStateLoader>();
        for (var i = 0; i < arguments.Length; i++)
        {
            var parameter = plan.Parameters[i];
            if (parameter.StateName is { } stateName)
            {
                var store = services.GetService<IGrainStateStore>()
                    ?? throw new InvalidOperationException($"{type.GrainClass.Name} declares persistent state '{stateName}' but no grain state store is configured.");
                var state = Activator.CreateInstance(
                    typeof(PersistentState<>).MakeGenericType(parameter.StateType!),
                    stateName,
                    activation,
                    store,
                    serializer)!;
                states.Add((IPersistentStateLoader)state);
                arguments[i] = state;
            }
            else
            {
                arguments[i] = services.GetRequiredService(parameter.Type);
            }
        }

        var grain = (Grain)plan.Constructor.Invoke(arguments);
        grain.Attach(activation);
        return (grain, states);
    }

    private static ConstructorPlan Plan(Type grainClass)
    {
        var constructor = grainClass.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault()
            ?? throw new InvalidOperationException($"{grainClass} has no public constructor.");
        var parameters = constructor.GetParameters().Select(p =>
        {
            var name = p.GetCustomAttribute<PersistentStateAttribute>()?.Name;
            if (name is null)
            {
                return new ParameterPlan(p.ParameterType, null, null);
            }

            if (!p.ParameterType.IsGenericType || p.ParameterType.GetGenericTypeDefinition() != typeof(IPersistentState<>))
            {
                throw new InvalidOperationException($"{grainClass}: [PersistentState] parameter {p.Name} must be an IPersistentState<T>.");
            }

            return new ParameterPlan(p.ParameterType, name, p.ParameterType.GetGenericArguments()[0]);
        }).ToArray();

        var duplicate = parameters.Where(p => p.StateName is not null).GroupBy(p => p.StateName).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"{grainClass}: persistent state name '{duplicate.Key}' is used twice.");
        }

        return new ConstructorPlan(constructor, parameters);
    }

    private sealed record ConstructorPlan(ConstructorInfo Constructor, ParameterPlan[] Parameters);

    private sealed record ParameterPlan(Type Type, string? StateName, Type? StateType);
}
