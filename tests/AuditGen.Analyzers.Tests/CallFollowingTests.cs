namespace AuditGen.Analyzers.Tests;

/// <summary>
/// Calls through interfaces, abstract and virtual members are judged by the implementations in the compilation, whatever
/// the members are called: through a property, a generic base, an abstract base, an override.
/// </summary>
public class CallFollowingTests
{
    private const string Prelude = """
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using AuditGen;
        using Microsoft.EntityFrameworkCore;

        public sealed class Order { public int Id { get; set; } public void Ship() { } }

        """;

    private static Task Verify(string source) => new AnalyzerTest<CoverageAnalyzer>(Prelude + source + "\n" + References.EfStubs).RunAsync();

    [Fact]
    public Task A_unit_of_work_reached_through_a_repository_property_is_followed_to_the_DbContext_that_implements_it() => Verify("""
        public interface IUnitOfWork { Task<bool> SaveEntitiesAsync(CancellationToken cancellationToken = default); }
        public interface IOrderRepository { IUnitOfWork UnitOfWork { get; } Task<Order?> GetAsync(int id); }
        public sealed class OrderingContext : DbContext, IUnitOfWork
        {
            public async Task<bool> SaveEntitiesAsync(CancellationToken cancellationToken = default) { await base.SaveChangesAsync(cancellationToken); return true; }
        }
        public sealed class ShipOrderCommandHandler(IOrderRepository orders)
        {
            public async Task<bool> {|AUD1001:Handle|}(int id, CancellationToken cancellationToken)
            {
                (await orders.GetAsync(id))?.Ship();
                return await orders.UnitOfWork.SaveEntitiesAsync(cancellationToken);
            }
        }
        public sealed class GetOrderQueryHandler(IOrderRepository orders)
        {
            public Task<Order?> Handle(int id) => orders.GetAsync(id);
        }
        """);

    [Fact]
    public Task A_service_interface_whose_implementation_saves_is_a_mutation_whatever_its_names() => Verify("""
        public interface IDocumentStoreish { void Persist(Order order); Order? Fetch(int id); }
        public sealed class Documents(AppDb db) : IDocumentStoreish
        {
            public void Persist(Order order) => db.Add(order);
            public Order? Fetch(int id) => null;
        }
        public sealed class AppDb : DbContext { }
        public sealed class ArchiveOrderUseCase(IDocumentStoreish documents)
        {
            public void {|AUD1001:Execute|}(Order order) => documents.Persist(order);
            public Order? Peek(int id) => documents.Fetch(id);
        }
        """);

    [Fact]
    public Task A_generic_repository_base_is_followed_to_its_implementation() => Verify("""
        public interface IStorage<T> where T : class { Task Put(T item); Task<T?> Get(int id); }
        public class EfStorage<T>(AppDb db) : IStorage<T> where T : class
        {
            public async Task Put(T item) { db.Add(item); await db.SaveChangesAsync(); }
            public Task<T?> Get(int id) => Task.FromResult<T?>(null);
        }
        public sealed class AppDb : DbContext { }
        public sealed class PlaceOrderHandler(IStorage<Order> storage)
        {
            public Task {|AUD1001:Handle|}(Order order) => storage.Put(order);
            public Task<Order?> Peek(int id) => storage.Get(id);
        }
        """);

    [Fact]
    public Task An_abstract_base_member_is_followed_to_the_override_that_writes() => Verify("""
        public abstract class OrderSink { public abstract Task Accept(Order order); public virtual Task<int> Count() => Task.FromResult(0); }
        public sealed class DbOrderSink(AppDb db) : OrderSink
        {
            public override Task Accept(Order order) => db.SaveChangesAsync();
            public override Task<int> Count() => Task.FromResult(1);
        }
        public sealed class AppDb : DbContext { }
        public sealed class AcceptOrderHandler(OrderSink sink)
        {
            public Task {|AUD1001:Handle|}(Order order) => sink.Accept(order);
            public Task<int> Total() => sink.Count();
        }
        """);

    [Fact]
    public Task A_virtual_member_is_followed_to_an_override_that_writes() => Verify("""
        public class Notes { public virtual Task Keep(Order order) => Task.CompletedTask; }
        public sealed class DbNotes(AppDb db) : Notes { public override Task Keep(Order order) => db.SaveChangesAsync(); }
        public sealed class AppDb : DbContext { }
        public sealed class KeepOrderHandler(Notes notes)
        {
            public Task {|AUD1001:Handle|}(Order order) => notes.Keep(order);
        }
        """);
}
