using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AuditGen.Generators;

internal enum BulkWriteKind
{
    ExecuteUpdate,
    ExecuteUpdateAsync,
    ExecuteDelete,
    ExecuteDeleteAsync,
}

/// <summary>
/// An <c>ExecuteUpdate</c>/<c>ExecuteDelete</c> call site the generator intercepts, so that inside a logged use case its
/// changes join the record. <see cref="Properties"/>: what the setters set, sorted (<c>Address.City</c> inside a complex
/// property); <see cref="PropertiesKnown"/> false when the setters could not be read at compile time (then every
/// property is compared at run time).
/// </summary>
internal sealed record BulkWriteCallModel(
    int LocationVersion,
    string LocationData,
    string DisplayLocation,
    BulkWriteKind Kind,
    bool PropertiesKnown,
    EquatableArray<string> Properties);

/// <summary>
/// Finds EF Core 10's <c>ExecuteUpdate(Async)</c> and <c>ExecuteDelete(Async)</c> calls (<c>EntityFrameworkQueryableExtensions</c>,
/// setters as <c>Action&lt;UpdateSettersBuilder&lt;T&gt;&gt;</c>) in a project that references AuditGen.EntityFrameworkCore,
/// and reads from the setters lambda the properties it sets.
/// </summary>
internal static class BulkWriteParser
{
    public const string BulkWritesType = "AuditGen.EntityFrameworkCore.ActivityBulkWrites";
    private const string ExtensionsType = "Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions";
    private const string SettersBuilderType = "Microsoft.EntityFrameworkCore.Query.UpdateSettersBuilder`1";

    /// <summary>The cheap syntactic test: a call named like a bulk write.</summary>
    public static bool IsCandidate(SyntaxNode node) =>
        node is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: var name } } &&
        name is "ExecuteUpdate" or "ExecuteUpdateAsync" or "ExecuteDelete" or "ExecuteDeleteAsync";

    public static BulkWriteCallModel? Parse(GeneratorSyntaxContext context, CancellationToken cancellationToken)
    {
        var invocation = (InvocationExpressionSyntax)context.Node;
        SemanticModel model = context.SemanticModel;
        if (model.GetSymbolInfo(invocation, cancellationToken).Symbol is not IMethodSymbol method)
        {
            return null;
        }

        IMethodSymbol definition = (method.ReducedFrom ?? method).OriginalDefinition;
        if (definition.ContainingType?.ToDisplayString() != ExtensionsType ||
            model.Compilation.GetTypeByMetadataName(BulkWritesType) is not { } bulkWrites ||
            SymbolEqualityComparer.Default.Equals(bulkWrites.ContainingAssembly, model.Compilation.Assembly))
        {
            return null; // not EF Core's, or a project without the EF Core store (or the store itself)
        }

        BulkWriteKind? kind = definition.Name switch
        {
            "ExecuteUpdate" => BulkWriteKind.ExecuteUpdate,
            "ExecuteUpdateAsync" => BulkWriteKind.ExecuteUpdateAsync,
            "ExecuteDelete" => BulkWriteKind.ExecuteDelete,
            "ExecuteDeleteAsync" => BulkWriteKind.ExecuteDeleteAsync,
            _ => null,
        };
        if (kind is null || !HasExpectedShape(definition, kind.Value, model.Compilation))
        {
            return null;
        }

        if (model.GetInterceptableLocation(invocation, cancellationToken) is not { } location)
        {
            return null;
        }

        string[]? properties = kind is BulkWriteKind.ExecuteUpdate or BulkWriteKind.ExecuteUpdateAsync
            ? SetProperties(invocation, method, model, cancellationToken)
            : [];
        string display = location.GetDisplayLocation();
        int separator = display.LastIndexOfAny(['/', '\\']);
        return new BulkWriteCallModel(location.Version, location.Data, separator >= 0 ? display.Substring(separator + 1) : display, kind.Value,
            properties is not null, (properties ?? []).Distinct().OrderBy(p => p, System.StringComparer.Ordinal).ToEquatableArray());
    }

    /// <summary>The signatures the generated interceptors mirror (EF Core 10); any other shape is left alone.</summary>
    private static bool HasExpectedShape(IMethodSymbol method, BulkWriteKind kind, Compilation compilation)
    {
        if (!method.IsStatic || method.TypeParameters.Length != 1 || method.Parameters.Length == 0)
        {
            return false;
        }

        int expected = kind switch
        {
            BulkWriteKind.ExecuteDelete => 1,
            BulkWriteKind.ExecuteDeleteAsync or BulkWriteKind.ExecuteUpdate => 2,
            _ => 3,
        };
        if (method.Parameters.Length != expected)
        {
            return false;
        }

        if (kind is BulkWriteKind.ExecuteUpdate or BulkWriteKind.ExecuteUpdateAsync)
        {
            INamedTypeSymbol? builder = compilation.GetTypeByMetadataName(SettersBuilderType);
            return method.Parameters[1].Type is INamedTypeSymbol { Name: "Action", TypeArguments: [INamedTypeSymbol argument] } &&
                SymbolEqualityComparer.Default.Equals(argument.OriginalDefinition, builder);
        }

        return true;
    }

    /// <summary>
    /// The properties a setters lambda sets: each <c>SetProperty(x =&gt; x.A.B, …)</c> on the builder parameter gives
    /// <c>A.B</c> (<c>EF.Property&lt;T&gt;(x, "Name")</c> gives <c>Name</c>). Null when the setters are not a lambda, a selector
    /// is not a property path, or the builder goes anywhere else (a helper method could set anything).
    /// </summary>
    private static string[]? SetProperties(InvocationExpressionSyntax invocation, IMethodSymbol method, SemanticModel model, CancellationToken cancellationToken)
    {
        ArgumentSyntax? argument = invocation.ArgumentList.Arguments.FirstOrDefault(a => a.NameColon?.Name.Identifier.ValueText == "setPropertyCalls")
            ?? (method.ReducedFrom is null
                ? invocation.ArgumentList.Arguments.ElementAtOrDefault(1)
                : invocation.ArgumentList.Arguments.FirstOrDefault(a => a.NameColon is null));
        if (argument?.Expression is not LambdaExpressionSyntax lambda ||
            model.GetSymbolInfo(lambda, cancellationToken).Symbol is not IMethodSymbol { Parameters: [IParameterSymbol builder] })
        {
            return null;
        }

        var properties = new List<string>();
        foreach (IdentifierNameSyntax use in lambda.Body.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>())
        {
            if (use.Identifier.ValueText != builder.Name ||
                !SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(use, cancellationToken).Symbol, builder))
            {
                continue;
            }

            // Each use of the builder starts a chain of SetProperty calls: s.SetProperty(…).SetProperty(…).
            SyntaxNode node = use;
            bool any = false;
            while (node.Parent is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "SetProperty" } access && access.Expression == node &&
                access.Parent is InvocationExpressionSyntax call && call.Expression == access)
            {
                if (call.ArgumentList.Arguments.Count != 2 || Path(call.ArgumentList.Arguments[0].Expression, model, cancellationToken) is not { } path)
                {
                    return null;
                }

                properties.Add(path);
                any = true;
                node = call;
            }

            if (!any)
            {
                return null; // the builder is passed on, stored or used otherwise
            }
        }

        return properties.Count > 0 ? [.. properties] : null;
    }

    /// <summary><c>x =&gt; x.A.B</c> as <c>A.B</c>; <c>x =&gt; EF.Property&lt;T&gt;(x, "Name")</c> as <c>Name</c>; otherwise null.</summary>
    private static string? Path(ExpressionSyntax selector, SemanticModel model, CancellationToken cancellationToken)
    {
        if (selector is not SimpleLambdaExpressionSyntax { ExpressionBody: { } body } lambda)
        {
            return null;
        }

        string parameter = lambda.Parameter.Identifier.ValueText;
        body = Strip(body);
        if (body is InvocationExpressionSyntax { ArgumentList.Arguments: [var target, var name] } call &&
            model.GetSymbolInfo(call, cancellationToken).Symbol is IMethodSymbol { Name: "Property", ContainingType: { Name: "EF", ContainingNamespace: { Name: "EntityFrameworkCore" } } } &&
            Strip(target.Expression) is IdentifierNameSyntax root && root.Identifier.ValueText == parameter &&
            name.Expression is LiteralExpressionSyntax literal && literal.IsKind(SyntaxKind.StringLiteralExpression))
        {
            return literal.Token.ValueText;
        }

        var names = new List<string>();
        while (body is MemberAccessExpressionSyntax access)
        {
            names.Insert(0, access.Name.Identifier.ValueText);
            body = Strip(access.Expression);
        }

        return names.Count > 0 && body is IdentifierNameSyntax identifier && identifier.Identifier.ValueText == parameter
            ? string.Join(".", names)
            : null;
    }

    private static ExpressionSyntax Strip(ExpressionSyntax expression)
    {
        while (true)
        {
            switch (expression)
            {
                case ParenthesizedExpressionSyntax parenthesized:
                    expression = parenthesized.Expression;
                    break;
                case PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.SuppressNullableWarningExpression } suppressed:
                    expression = suppressed.Operand;
                    break;
                default:
                    return expression;
            }
        }
    }
}
