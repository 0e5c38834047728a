using System.Collections.Immutable;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace AuditGen.Analyzers.Tests;

/// <summary>References and options shared by the analyzer and code-fix tests: .NET 10, AuditGen, no downloads.</summary>
internal static class References
{
    public static readonly ImmutableArray<MetadataReference> All =
    [
        .. Net100.References.All,
        MetadataReference.CreateFromFile(typeof(ActivityRecord).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(Microsoft.Extensions.DependencyInjection.IServiceCollection).Assembly.Location),
    ];

    /// <summary>Stand-ins for EF Core and ADO.NET types, recognised by their metadata names only.</summary>
    public const string EfStubs = """
        namespace Microsoft.EntityFrameworkCore
        {
            using System.Linq;
            using System.Threading;
            using System.Threading.Tasks;

            public class DbContext
            {
                public virtual int SaveChanges() => 0;
                public virtual Task<int> SaveChangesAsync(CancellationToken cancellationToken = default) => Task.FromResult(0);
                public object Add(object entity) => entity;
                public DatabaseFacade Database { get; } = new();
            }

            public abstract class DbSet<TEntity> : IQueryable<TEntity> where TEntity : class
            {
                public virtual object Add(TEntity entity) => entity;
                public virtual ValueTask<object> AddAsync(TEntity entity, CancellationToken cancellationToken = default) => new(entity);
                public virtual object Remove(TEntity entity) => entity;
                public virtual object Update(TEntity entity) => entity;
                public virtual TEntity? Find(params object[] keys) => null;
                System.Type IQueryable.ElementType => typeof(TEntity);
                System.Linq.Expressions.Expression IQueryable.Expression => null!;
                IQueryProvider IQueryable.Provider => null!;
                System.Collections.Generic.IEnumerator<TEntity> System.Collections.Generic.IEnumerable<TEntity>.GetEnumerator() => null!;
                System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => null!;
            }

            public sealed class DatabaseFacade { }

            public static class EntityFrameworkQueryableExtensions
            {
                public static Task<int> ExecuteDeleteAsync<T>(this IQueryable<T> source, CancellationToken cancellationToken = default) => Task.FromResult(0);
                public static Task<int> ExecuteUpdateAsync<T>(this IQueryable<T> source, System.Action<T> set, CancellationToken cancellationToken = default) => Task.FromResult(0);
            }

            public static class RelationalDatabaseFacadeExtensions
            {
                public static Task<int> ExecuteSqlRawAsync(this DatabaseFacade database, string sql, CancellationToken cancellationToken = default) => Task.FromResult(0);
            }
        }
        """;
}

internal sealed class AnalyzerTest<TAnalyzer> : CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    public AnalyzerTest(string source, string? editorConfig = null)
    {
        TestCode = source;
        ReferenceAssemblies = new ReferenceAssemblies("net10.0"); // no download: References.All is complete
        TestState.AdditionalReferences.AddRange(References.All);
        if (editorConfig is not null)
        {
            TestState.AnalyzerConfigFiles.Add(("/.editorconfig", $"root = true\n\n[*.cs]\n{editorConfig}"));
        }
    }

    protected override CompilationOptions CreateCompilationOptions() =>
        ((CSharpCompilationOptions)base.CreateCompilationOptions()).WithNullableContextOptions(NullableContextOptions.Enable);
}

internal sealed class CodeFixTest<TCodeFix> : CSharpCodeFixTest<CoverageAnalyzer, TCodeFix, DefaultVerifier>
    where TCodeFix : CodeFixProvider, new()
{
    public CodeFixTest(string source, string fixedSource)
    {
        TestCode = source;
        FixedCode = fixedSource;
        ReferenceAssemblies = new ReferenceAssemblies("net10.0");
        TestState.AdditionalReferences.AddRange(References.All);
        FixedState.AdditionalReferences.AddRange(References.All);
    }

    protected override CompilationOptions CreateCompilationOptions() =>
        ((CSharpCompilationOptions)base.CreateCompilationOptions()).WithNullableContextOptions(NullableContextOptions.Enable);
}
