using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Grid.Runtime.CodeGenerator;

/// <summary>Turns a grain interface symbol into a <see cref="GrainInterfaceModel"/>, collecting what cannot be proxied.</summary>
internal static class GrainInterfaceReader
{
    private const string GrainMarker = "Grid.Runtime.IGrain";
    private static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    public static bool IsGrainInterface(INamedTypeSymbol type) =>
        type.TypeKind == TypeKind.Interface
        && type.ToDisplayString() != GrainMarker
        && type.ToDisplayString() != "Grid.Runtime.IGrainWithStringKey"
        && type.AllInterfaces.Any(i => i.ToDisplayString() == GrainMarker);

    public static GrainInterfaceModel Read(INamedTypeSymbol type)
    {
        var errors = ImmutableArray.CreateBuilder<string>();
        var fullName = type.ToDisplayString();
        if (type.IsGenericType)
        {
            errors.Add($"Grain interface {fullName} is generic; generic grain interfaces are not supported.");
        }

        var methods = ImmutableArray.CreateBuilder<GrainMethodModel>();
        foreach (var declaring in new[] { type }.Concat(type.AllInterfaces))
        {
            foreach (var method in declaring.GetMembers().OfType<IMethodSymbol>())
            {
                if (method.MethodKind != MethodKind.Ordinary || method.IsStatic || !method.IsAbstract)
                {
                    continue;
                }

                var model = ReadMethod(declaring, method, errors);
                if (model is not null)
                {
                    methods.Add(model);
                }
            }

            foreach (var property in declaring.GetMembers().OfType<IPropertySymbol>())
            {
                errors.Add($"{declaring.ToDisplayString()}.{property.Name}: grain interfaces may only have methods.");
            }
        }

        var displayName = type.Name;
        var proxyName = fullName.Replace('.', '_').Replace('<', '_').Replace('>', '_').Replace(',', '_') + "_Proxy";
        return new GrainInterfaceModel(fullName, displayName, proxyName, new(methods.ToImmutable()), new(errors.ToImmutable()));
    }

    private static GrainMethodModel? ReadMethod(INamedTypeSymbol declaring, IMethodSymbol method, ImmutableArray<string>.Builder errors)
    {
        var where = $"{declaring.ToDisplayString()}.{method.Name}";
        if (method.IsGenericMethod)
        {
            errors.Add($"{where}: generic grain methods are not supported.");
            return null;
        }

        var returnType = method.ReturnType as INamedTypeSymbol;
        var returnName = returnType?.ConstructedFrom.ToDisplayString();
        ReturnKind kind;
        string? resultType = null;
        switch (returnName)
        {
            case "System.Threading.Tasks.Task":
                kind = ReturnKind.Task;
                break;
            case "System.Threading.Tasks.ValueTask":
                kind = ReturnKind.ValueTask;
                break;
            case "System.Threading.Tasks.Task<TResult>":
                kind = ReturnKind.TaskOfT;
                resultType = returnType!.TypeArguments[0].ToDisplayString(TypeFormat);
                break;
            case "System.Threading.Tasks.ValueTask<TResult>":
                kind = ReturnKind.ValueTaskOfT;
                resultType = returnType!.TypeArguments[0].ToDisplayString(TypeFormat);
                break;
            default:
                errors.Add($"{where}: grain methods must return Task, Task<T>, ValueTask or ValueTask<T>.");
                return null;
        }

        var parameters = ImmutableArray.CreateBuilder<GrainParameterModel>();
        foreach (var parameter in method.Parameters)
        {
            if (parameter.RefKind != RefKind.None)
            {
                errors.Add($"{where}: parameter {parameter.Name} is passed by reference; grain arguments are values.");
                return null;
            }

            parameters.Add(new GrainParameterModel(parameter.Name, parameter.Type.ToDisplayString(TypeFormat)));
        }

        double? timeout = null;
        var idempotent = false;
        foreach (var attribute in method.GetAttributes())
        {
            idempotent |= attribute.AttributeClass?.ToDisplayString() == "Grid.Runtime.IdempotentAttribute";
            if (attribute.AttributeClass?.ToDisplayString() == "Grid.Runtime.ResponseTimeoutAttribute"
                && attribute.ConstructorArguments.Length == 1
                && attribute.ConstructorArguments[0].Value is double seconds)
            {
                timeout = seconds;
            }
        }

        return new GrainMethodModel(
            method.Name,
            method.ReturnType.ToDisplayString(TypeFormat),
            kind,
            resultType,
            declaring.ToDisplayString(TypeFormat),
            timeout,
            idempotent,
            new(parameters.ToImmutable()));
    }
}
