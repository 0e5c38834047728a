using Microsoft.CodeAnalysis;

namespace AuditGen.Generators;

/// <summary>
/// gRPC service methods: overrides of the methods of a generated service base (<c>Greeter.GreeterBase</c>), which the
/// gRPC code generator marks <c>[BindServiceMethod]</c>.
/// </summary>
internal sealed class GrpcServiceMethods(Compilation compilation) : IEntryPointRule
{
    private readonly INamedTypeSymbol? _bind = compilation.GetTypeByMetadataName("Grpc.Core.BindServiceMethodAttribute");

    public EntryPointKind Kind => EntryPointKind.GrpcServiceMethod;

    public bool MayDeclare(INamedTypeSymbol type)
    {
        if (_bind is null || type.TypeKind != TypeKind.Class)
        {
            return false;
        }

        for (INamedTypeSymbol? t = type.BaseType; t is not null; t = t.BaseType)
        {
            if (EntryPointSymbols.HasAttribute(t, _bind))
            {
                return true;
            }
        }

        return false;
    }

    public bool IsEntryPoint(IMethodSymbol method)
    {
        IMethodSymbol? root = method.IsOverride ? method.OverriddenMethod : null;
        while (root?.OverriddenMethod is { } further)
        {
            root = further;
        }

        return root is not null && EntryPointSymbols.HasAttribute(root.ContainingType, _bind);
    }
}
