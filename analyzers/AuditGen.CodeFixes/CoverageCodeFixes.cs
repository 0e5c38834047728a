using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AuditGen.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Simplification;
using Microsoft.CodeAnalysis.Text;

namespace AuditGen.CodeFixes;

/// <summary>
/// AUD1001: log the method (or the mapped lambda), with an action name (and entity type) derived from the type and
/// method names, or from a lambda's <c>Map*</c> verb and route.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddLogsActivityCodeFix)), Shared]
public sealed class AddLogsActivityCodeFix : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = [DiagnosticIds.Unlogged];

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        if (context.Diagnostics.Any(static d => d.Properties.ContainsKey(DiagnosticProperties.NotLoggableHere)) ||
            await AttributeFix.FindTargetAsync(context).ConfigureAwait(false) is not { } target)
        {
            return; // [LogsActivity] cannot go on a consumer its bus resolves by class (AUD0008): [NotLogged] is still offered
        }

        (string action, string? entityType) = target is MethodDeclarationSyntax method
            ? UseCaseNames.Derive((method.Parent as BaseTypeDeclarationSyntax)?.Identifier.ValueText ?? "", method.Identifier.ValueText)
            : FromMapCall(target);
        string arguments = entityType is null ? $"\"{action}\"" : $"\"{action}\", EntityType = \"{entityType}\"";
        context.RegisterCodeFix(
            CodeAction.Create($"Log as '{action}'", ct => AttributeFix.AddAsync(context.Document, target, "LogsActivity", arguments, ct),
                equivalenceKey: nameof(AddLogsActivityCodeFix)),
            context.Diagnostics);
    }

    /// <summary>A mapped lambda's name: the <c>Map*</c> call it is passed to, and that call's route literal.</summary>
    private static (string Action, string? EntityType) FromMapCall(SyntaxNode lambda)
    {
        if (lambda.Parent?.Parent?.Parent is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax member } call)
        {
            string? route = call.ArgumentList.Arguments.Select(a => a.Expression).OfType<LiteralExpressionSyntax>()
                .FirstOrDefault(l => l.IsKind(SyntaxKind.StringLiteralExpression))?.Token.ValueText;
            return UseCaseNames.FromRoute(member.Name.Identifier.ValueText, route);
        }

        return ("change", null);
    }
}

/// <summary>AUD1001: excuse the method explicitly, with a reason still to write.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddNotLoggedCodeFix)), Shared]
public sealed class AddNotLoggedCodeFix : CodeFixProvider
{
    /// <summary>The reason the fix inserts, for the developer to replace.</summary>
    public const string Placeholder = "TODO: reason";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = [DiagnosticIds.Unlogged];

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        if (await AttributeFix.FindTargetAsync(context).ConfigureAwait(false) is not { } target)
        {
            return;
        }

        context.RegisterCodeFix(
            CodeAction.Create("Mark as [NotLogged]", ct => AttributeFix.AddAsync(context.Document, target, "NotLogged", $"\"{Placeholder}\"", ct),
                equivalenceKey: nameof(AddNotLoggedCodeFix)),
            context.Diagnostics);
    }
}

internal static class AttributeFix
{
    /// <summary>The method the diagnostic is on, or the <c>Map*</c> lambda it spans.</summary>
    public static async Task<SyntaxNode?> FindTargetAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        return root?.FindToken(context.Span.Start).Parent?.AncestorsAndSelf()
            .FirstOrDefault(n => (n is MethodDeclarationSyntax method && method.Identifier.Span == context.Span) ||
                                 (n is ParenthesizedLambdaExpressionSyntax && n.Span == context.Span)); // Map* lambdas always have parentheses
    }

    /// <summary>
    /// Adds <c>[Name(arguments)]</c> as the method's first attribute list, on its own line with the method's indentation,
    /// and <c>using AuditGen;</c> when the file lacks it. The rest of the method keeps its formatting.
    /// </summary>
    public static async Task<Document> AddAsync(Document document, SyntaxNode target, string name, string arguments, CancellationToken cancellationToken)
    {
        SourceText text = await document.GetTextAsync(cancellationToken).ConfigureAwait(false);
        SyntaxTrivia endOfLine = SyntaxFactory.EndOfLine(text.ToString().Contains("\r\n") ? "\r\n" : "\n");
        AttributeListSyntax list = SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(
                SyntaxFactory.Attribute(SyntaxFactory.ParseName($"global::AuditGen.{name}"), SyntaxFactory.ParseAttributeArgumentList($"({arguments})"))))
            .WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation);

        DocumentEditor editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        editor.ReplaceNode(target, (node, _) =>
        {
            if (node is ParenthesizedLambdaExpressionSyntax lambda)
            {
                // On a lambda, inline: [LogsActivity("create_todo")] async (…) => …
                return lambda
                    .WithAttributeLists(lambda.AttributeLists.Insert(0, list.WithTrailingTrivia(SyntaxFactory.Space)))
                    .WithLeadingTrivia(lambda.GetLeadingTrivia());
            }

            var current = (MethodDeclarationSyntax)node;
            SyntaxTriviaList leading = current.GetLeadingTrivia();
            AttributeListSyntax added = list.WithLeadingTrivia(leading).WithTrailingTrivia(endOfLine);
            current = current.WithLeadingTrivia(Indentation(leading));
            return current.WithAttributeLists(current.AttributeLists.Insert(0, added));
        });
        Document changed = editor.GetChangedDocument();
        changed = await ImportAdder.AddImportsAsync(changed, Simplifier.AddImportsAnnotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        return await Simplifier.ReduceAsync(changed, Simplifier.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The whitespace after the last line break of <paramref name="leading"/>: the line's indentation.</summary>
    private static SyntaxTriviaList Indentation(SyntaxTriviaList leading)
    {
        int lastBreak = -1;
        for (int i = 0; i < leading.Count; i++)
        {
            if (leading[i].IsKind(SyntaxKind.EndOfLineTrivia))
            {
                lastBreak = i;
            }
        }

        return SyntaxFactory.TriviaList(leading.Skip(lastBreak + 1).Where(t => t.IsKind(SyntaxKind.WhitespaceTrivia)));
    }
}
