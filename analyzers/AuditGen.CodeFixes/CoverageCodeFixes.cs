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

/// <summary>AUD1001: log the method, with an action name (and entity type) derived from the type and method names.</summary>
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
        if (await AttributeFix.FindMethodAsync(context).ConfigureAwait(false) is not { } method)
        {
            return;
        }

        string typeName = (method.Parent as BaseTypeDeclarationSyntax)?.Identifier.ValueText ?? "";
        (string action, string? entityType) = UseCaseNames.Derive(typeName, method.Identifier.ValueText);
        string arguments = entityType is null ? $"\"{action}\"" : $"\"{action}\", EntityType = \"{entityType}\"";
        context.RegisterCodeFix(
            CodeAction.Create($"Log as '{action}'", ct => AttributeFix.AddAsync(context.Document, method, "LogsActivity", arguments, ct),
                equivalenceKey: nameof(AddLogsActivityCodeFix)),
            context.Diagnostics);
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
        if (await AttributeFix.FindMethodAsync(context).ConfigureAwait(false) is not { } method)
        {
            return;
        }

        context.RegisterCodeFix(
            CodeAction.Create("Mark as [NotLogged]", ct => AttributeFix.AddAsync(context.Document, method, "NotLogged", $"\"{Placeholder}\"", ct),
                equivalenceKey: nameof(AddNotLoggedCodeFix)),
            context.Diagnostics);
    }
}

internal static class AttributeFix
{
    public static async Task<MethodDeclarationSyntax?> FindMethodAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        return root?.FindToken(context.Span.Start).Parent?.AncestorsAndSelf().OfType<MethodDeclarationSyntax>().FirstOrDefault();
    }

    /// <summary>
    /// Adds <c>[Name(arguments)]</c> as the method's first attribute list, on its own line with the method's indentation,
    /// and <c>using AuditGen;</c> when the file lacks it. The rest of the method keeps its formatting.
    /// </summary>
    public static async Task<Document> AddAsync(Document document, MethodDeclarationSyntax method, string name, string arguments, CancellationToken cancellationToken)
    {
        SourceText text = await document.GetTextAsync(cancellationToken).ConfigureAwait(false);
        SyntaxTrivia endOfLine = SyntaxFactory.EndOfLine(text.ToString().Contains("\r\n") ? "\r\n" : "\n");
        AttributeListSyntax list = SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(
                SyntaxFactory.Attribute(SyntaxFactory.ParseName($"global::AuditGen.{name}"), SyntaxFactory.ParseAttributeArgumentList($"({arguments})"))))
            .WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation);

        DocumentEditor editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        editor.ReplaceNode(method, (node, _) =>
        {
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
