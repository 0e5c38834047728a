using System.Collections.Immutable;
using System.Globalization;
using AuditGen.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AuditGen.Generators.Tests;

/// <summary>
/// A call through an interface declared in one project (the domain's unit of work) and implemented in another (the
/// infrastructure's DbContext) is a mutation when the implementing project's mutation summary says its implementation
/// writes — whatever the interface and method are called.
/// </summary>
public class InterfaceSummaryTests
{
    private const string Usings = """
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using AuditGen;

        """;

    private static MetadataReference Emit(Compilation compilation)
    {
        using var image = new MemoryStream();
        Microsoft.CodeAnalysis.Emit.EmitResult result = compilation.Emit(image);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        return MetadataReference.CreateFromImage(image.ToArray());
    }

    private static MetadataReference Domain() => Emit(TestCompilation.Create("Domain", TestCompilation.References, Usings + """
        namespace Domain;

        public sealed class Order { public int Id { get; set; } public void Ship() { } }
        public interface IUnitOfWork { Task<bool> CommitAsync(CancellationToken cancellationToken = default); }
        public interface IOrderRepository
        {
            IUnitOfWork UnitOfWork { get; }
            Task<Order?> GetAsync(int id);
        }
        public interface IBilling { Task Charge(int orderId, decimal amount); Task<decimal> Quote(int orderId); }
        """));

    private const string Infrastructure = """
        namespace Infrastructure;

        public class ContextBase { public Task<int> SaveChangesAsync(CancellationToken cancellationToken = default) => Task.FromResult(1); }
        internal sealed class OrderingContext : ContextBase, Domain.IUnitOfWork, IDisposable
        {
            public async Task<bool> CommitAsync(CancellationToken cancellationToken = default) => await SaveChangesAsync(cancellationToken) > 0;
            public void Dispose() => SaveChangesAsync().GetAwaiter().GetResult(); // a commit on dispose: still no reason to make every Dispose() a write
        }
        internal sealed class Billing(ILedgerRepository ledger) : Domain.IBilling
        {
            public Task Charge(int orderId, decimal amount) => ledger.AddAsync(orderId, amount);
            public Task<decimal> Quote(int orderId) => Task.FromResult(1m);
        }
        public interface ILedgerRepository { Task AddAsync(int orderId, decimal amount); }
        """;

    private static async Task<ImmutableArray<Diagnostic>> AnalyzeApplication(MetadataReference domain, MetadataReference infrastructure)
    {
        var app = TestCompilation.Create("Application", [.. TestCompilation.References, domain, infrastructure], Usings + """
            namespace Application;

            public sealed class ShipOrderHandler(Domain.IOrderRepository orders)
            {
                public async Task<bool> Handle(int id)
                {
                    var order = await orders.GetAsync(id);
                    order?.Ship();
                    return await orders.UnitOfWork.CommitAsync();
                }
            }

            public sealed class ChargeOrderHandler(Domain.IBilling billing)
            {
                public Task Handle(int id) => billing.Charge(id, 10m);
            }

            public sealed class QuoteOrderHandler(Domain.IBilling billing)
            {
                public Task<decimal> Handle(int id) => billing.Quote(id);
            }
            """);
        return await app.WithAnalyzers([new CoverageAnalyzer()]).GetAnalyzerDiagnosticsAsync();
    }

    [Fact]
    public async Task Calls_through_another_projects_interface_are_judged_by_the_implementing_projects_summary()
    {
        MetadataReference domain = Domain();
        var infrastructure = TestCompilation.Create("Infrastructure", [.. TestCompilation.References, domain], Usings + Infrastructure);
        (Compilation output, IReadOnlyDictionary<string, string> generated) = TestCompilation.Run(infrastructure);
        string summary = generated["AuditGen.MutationSummary.g.cs"];
        Assert.Contains("\"M:Domain.IUnitOfWork.CommitAsync(System.Threading.CancellationToken) <- M:Infrastructure.OrderingContext.CommitAsync(System.Threading.CancellationToken)\"", summary);
        Assert.Contains("\"M:Domain.IBilling.Charge(System.Int32,System.Decimal) <- M:Infrastructure.Billing.Charge(System.Int32,System.Decimal)\"", summary);
        Assert.DoesNotContain("Quote", summary);
        Assert.DoesNotContain("System.IDisposable", summary);

        ImmutableArray<Diagnostic> diagnostics = await AnalyzeApplication(domain, Emit(output));

        string[] messages = [.. diagnostics.Where(d => d.Id == "AUD1001").Select(d => d.GetMessage(CultureInfo.InvariantCulture)).Order()];
        Assert.True(messages.Length == 2, string.Join("\n", messages));
        Assert.Contains(messages, m => m.StartsWith("'Handle' changes state (calls IBilling.Charge, which is implemented by Billing.Charge in Infrastructure, which changes state by Infrastructure's AuditGen mutation summary, at line 19)", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("'Handle' changes state (calls IUnitOfWork.CommitAsync, which is implemented by OrderingContext.CommitAsync in Infrastructure, which changes state by Infrastructure's AuditGen mutation summary, at line 13)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_the_implementing_projects_summary_only_the_name_conventions_remain()
    {
        MetadataReference domain = Domain();
        var infrastructure = TestCompilation.Create("Infrastructure", [.. TestCompilation.References, domain], Usings + Infrastructure);

        ImmutableArray<Diagnostic> diagnostics = await AnalyzeApplication(domain, Emit(infrastructure)); // compiled without AuditGen's generator

        Assert.DoesNotContain(diagnostics, d => d.Id == "AUD1001"); // CommitAsync and Charge match no convention: the summary is what tells
    }
}
