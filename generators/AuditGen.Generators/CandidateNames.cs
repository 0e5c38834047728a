using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AuditGen.Generators;

/// <summary>
/// The names a call must have to possibly reach a logged method, so the call-site step binds only those calls.
/// </summary>
/// <remarks>
/// The call-site transform runs for every invocation of the compilation on every edit (any edit can change what a
/// call binds to), and binding is what costs. A syntactic pre-check against this set skips almost all of them.
/// The set is computed once per compilation from per-tree and per-reference parts that are cached, so an edit
/// rescans only the edited tree. A class-level [LogsActivity] whose method lies in another part of the class
/// turns the filter off for that compilation (<see cref="Any"/>).
/// </remarks>
internal static class CandidateNames
{
    public const string Any = "*";

    private static readonly ConditionalWeakTable<Compilation, HashSet<string>> Compilations = new();
    private static readonly ConditionalWeakTable<SyntaxTree, string[]> Trees = new();
    private static readonly ConditionalWeakTable<MetadataReference, string[]> References = new();

    public static bool MayBeLogged(Compilation compilation, string name)
    {
        HashSet<string> names = Compilations.GetValue(compilation, Compute);
        return names.Contains(name) || names.Contains(Any);
    }

    private static HashSet<string> Compute(Compilation compilation)
    {
        var names = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (SyntaxTree tree in compilation.SyntaxTrees)
        {
            names.UnionWith(Trees.GetValue(tree, ScanTree));
        }

        foreach (MetadataReference reference in compilation.References)
        {
            names.UnionWith(References.GetValue(reference, r =>
                compilation.GetAssemblyOrModuleSymbol(r) is IAssemblySymbol assembly ? ScanAssembly(assembly) : []));
        }

        return names;
    }

    private static string[] ScanTree(SyntaxTree tree)
    {
        var names = new List<string>();
        foreach (AttributeSyntax attribute in tree.GetRoot().DescendantNodes().OfType<AttributeSyntax>())
        {
            string name = attribute.Name switch
            {
                QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
                AliasQualifiedNameSyntax aliased => aliased.Name.Identifier.ValueText,
                SimpleNameSyntax simple => simple.Identifier.ValueText,
                _ => "",
            };
            if (name is not ("LogsActivity" or "LogsActivityAttribute"))
            {
                continue;
            }

            switch (attribute.Parent?.Parent)
            {
                case MethodDeclarationSyntax method:
                    names.Add(method.Identifier.ValueText);
                    break;
                case TypeDeclarationSyntax type:
                    var methods = type.Members.OfType<MethodDeclarationSyntax>().Select(m => m.Identifier.ValueText).ToList();
                    names.AddRange(methods.Count > 0 ? methods : [Any]);
                    break;
            }
        }

        return [.. names.Distinct()];
    }

    private static string[] ScanAssembly(IAssemblySymbol assembly)
    {
        // Only assemblies built against AuditGen can hold logged use cases.
        if (!assembly.Modules.Any(m => m.ReferencedAssemblies.Any(r => r.Name == "AuditGen")))
        {
            return [];
        }

        var names = new HashSet<string>(System.StringComparer.Ordinal);
        var pending = new Stack<INamespaceOrTypeSymbol>();
        pending.Push(assembly.GlobalNamespace);
        while (pending.Count > 0)
        {
            foreach (ISymbol member in pending.Pop().GetMembers())
            {
                switch (member)
                {
                    case INamespaceSymbol ns:
                        pending.Push(ns);
                        break;
                    case INamedTypeSymbol type when type.TypeKind == TypeKind.Class && type.AllInterfaces.Any(i => i.Name == "ILoggedUseCase"):
                        names.UnionWith(type.GetMembers().OfType<IMethodSymbol>().Where(m => m.MethodKind == MethodKind.Ordinary).Select(m => m.Name));
                        break;
                }
            }
        }

        return [.. names];
    }
}
