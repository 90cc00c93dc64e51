using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Grid.Runtime.CodeGenerator;

/// <summary>
/// Finds every grain interface declared in the compilation and emits a typed proxy for it, so a grain
/// call is a direct, allocation-light method call instead of reflection.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class GrainProxyGenerator : IIncrementalGenerator
{
    private static readonly DiagnosticDescriptor Unsupported = new(
        "GRID0001",
        "Unsupported grain interface member",
        "{0}",
        "Grid.Runtime",
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var interfaces = context.SyntaxProvider.CreateSyntaxProvider(
                static (node, _) => node is InterfaceDeclarationSyntax { BaseList: not null },
                static (ctx, ct) =>
                {
                    var symbol = ctx.SemanticModel.GetDeclaredSymbol((InterfaceDeclarationSyntax)ctx.Node, ct) as INamedTypeSymbol;
                    return symbol is not null && GrainInterfaceReader.IsGrainInterface(symbol) ? GrainInterfaceReader.Read(symbol) : null;
                })
            .Where(static model => model is not null)
            .Select(static (model, _) => model!)
            .Collect();

        context.RegisterSourceOutput(interfaces, static (spc, models) =>
        {
            foreach (var model in models.Distinct())
            {
                if (model.Errors.Items.Length > 0)
                {
                    foreach (var error in model.Errors.Items)
                    {
                        spc.ReportDiagnostic(Diagnostic.Create(Unsupported, Location.None, error));
                    }

                    continue;
                }

                spc.AddSource(model.ProxyName + ".g.cs", GrainProxyEmitter.Emit(model));
            }
        });
    }
}
