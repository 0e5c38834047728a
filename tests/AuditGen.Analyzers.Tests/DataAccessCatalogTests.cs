namespace AuditGen.Analyzers.Tests;

/// <summary>
/// Every library family of the data-access catalog (generators/AuditGen.Generators/Shared/Catalog): each write is a
/// mutation (AUD1001 on an unlogged use case), each read on the same types never is.
/// </summary>
public class DataAccessCatalogTests
{
    private const string Usings = """
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using AuditGen;

        """;

    private static Task Verify(string stubs, string source) =>
        new AnalyzerTest<CoverageAnalyzer>(Usings + source + "\npublic sealed class Item { public Guid Id { get; set; } }\n" + stubs).RunAsync();

    [Theory]
    [InlineData("await db.Items.AddAsync(item);")]
    [InlineData("db.Items.Remove(item); await db.SaveChangesAsync();")]
    [InlineData("db.Add(item);")]
    [InlineData("await db.Items.Where(i => i.Id == item.Id).ExecuteDeleteAsync();")]
    [InlineData("await db.Items.ExecuteUpdateAsync(i => { });")]
    [InlineData("await db.Database.ExecuteSqlRawAsync(\"DELETE FROM Items\");")]
    public Task EF_Core_writes_are_mutations(string write) => Verify(References.EfStubs, $$"""
        using System.Linq;
        using Microsoft.EntityFrameworkCore;
        public sealed class Db : DbContext { public DbSet<Item> Items { get; } = null!; }
        public sealed class ChangeItemUseCase(Db db)
        {
            public async Task {|AUD1001:Change|}(Item item) { await Task.Yield(); {{write}} }
            public Item? Read(Guid id) => db.Items.Find(id) ?? db.Items.FirstOrDefault(i => i.Id == id);
        }
        """);

    [Fact]
    public Task ADO_NET_ExecuteNonQuery_through_a_provider_command_is_a_mutation_ExecuteScalar_is_not() => Verify(LibraryStubs.AdoNet, """
        public sealed class PurgeUseCase(Microsoft.Data.SqlClient.SqlCommand command)
        {
            public int {|AUD1001:ExecuteAsync|}() => command.ExecuteNonQuery();
            public object? Count() => command.ExecuteScalar();
        }
        """);

    [Fact]
    public Task Dapper_Execute_is_a_mutation_Query_and_ExecuteScalar_are_not() => Verify(LibraryStubs.Dapper, """
        using Dapper;
        public sealed class RenameItemUseCase(System.Data.IDbConnection connection)
        {
            public Task<int> {|AUD1001:ExecuteAsync|}(Guid id) => connection.ExecuteAsync("UPDATE Items SET Name = 'x' WHERE Id = @id", new { id });
            public int {|AUD1001:ExecuteSync|}(Guid id) => connection.Execute("DELETE FROM Items WHERE Id = @id", new { id });
            public object Read(Guid id) => connection.Query<Item>("SELECT * FROM Items WHERE Id = @id", new { id });
            public long? Count() => connection.ExecuteScalar<long>("SELECT COUNT(*) FROM Items");
        }
        """);

    [Fact]
    public Task Ardalis_Specification_repository_writes_are_mutations_whatever_the_application_calls_its_repository() => Verify(LibraryStubs.Ardalis, """
        using Ardalis.Specification;
        public interface IEntities<T> : IRepositoryBase<T> where T : class { }
        public sealed class ArchiveItemUseCase(IEntities<Item> entities)
        {
            public Task {|AUD1001:Add|}(Item item) => entities.AddAsync(item);
            public Task {|AUD1001:Update|}(Item item) => entities.UpdateAsync(item);
            public Task {|AUD1001:Delete|}(Item item) => entities.DeleteAsync(item);
            public Task<Item?> Get(int id) => entities.GetByIdAsync(id);
            public Task<System.Collections.Generic.List<Item>> List(ISpecification<Item> spec) => entities.ListAsync(spec);
        }
        """);

    [Fact]
    public Task Identity_writes_are_mutations_finding_checking_and_signing_in_are_not() => Verify(LibraryStubs.Identity, """
        using Microsoft.AspNetCore.Identity;
        public sealed class AppUser { }
        public sealed class AppRole { }
        public sealed class AccountUseCase(UserManager<AppUser> users, RoleManager<AppRole> roles, SignInManager<AppUser> signIn)
        {
            public Task {|AUD1001:Register|}(AppUser user) => users.CreateAsync(user, "secret");
            public Task {|AUD1001:Promote|}(AppUser user) => users.AddToRoleAsync(user, "admin");
            public Task {|AUD1001:DropRole|}(AppRole role) => roles.DeleteAsync(role);
            public Task {|AUD1001:Recover|}(string code) => signIn.TwoFactorRecoveryCodeSignInAsync(code);
            public Task<AppUser?> Find(string email) => users.FindByEmailAsync(email);
            public Task<bool> Check(AppUser user) => users.CheckPasswordAsync(user, "secret");
            public Task<AppRole?> Role(string name) => roles.FindByNameAsync(name);
            public Task Login(string user) => signIn.PasswordSignInAsync(user, "secret", false, false);
            public Task Logout() => signIn.SignOutAsync();
        }
        """);

    [Fact]
    public Task MongoDB_writes_are_mutations_in_every_form_finds_and_counts_are_not() => Verify(LibraryStubs.MongoDb, """
        using MongoDB.Driver;
        public sealed class ItemsUseCase(IMongoCollection<Item> items)
        {
            public Task {|AUD1001:InsertOne|}(Item item) => items.InsertOneAsync(item);
            public void {|AUD1001:InsertMany|}(Item[] all) => items.InsertMany(all);
            public Task {|AUD1001:UpdateMany|}(FilterDefinition<Item> f, UpdateDefinition<Item> u) => items.UpdateManyAsync(f, u);
            public Task {|AUD1001:ReplaceOne|}(FilterDefinition<Item> f, Item item) => items.ReplaceOneAsync(f, item);
            public Task {|AUD1001:DeleteOne|}(FilterDefinition<Item> f) => items.DeleteOneAsync(f);
            public Task {|AUD1001:DeleteMany|}(Guid id) => items.DeleteManyAsync(i => i.Id == id);
            public Task {|AUD1001:Bulk|}(object[] requests) => items.BulkWriteAsync(requests);
            public Task {|AUD1001:FindAndUpdate|}(FilterDefinition<Item> f, UpdateDefinition<Item> u) => items.FindOneAndUpdateAsync(f, u);
            public IFindFluent<Item> Find(Guid id) => items.Find(i => i.Id == id);
            public Task<long> Count(FilterDefinition<Item> f) => items.CountDocumentsAsync(f);
        }
        """);

    [Fact]
    public Task Marten_Store_Delete_and_SaveChanges_are_mutations_Load_is_not() => Verify(LibraryStubs.Marten, """
        using Marten;
        public sealed class ItemsUseCase(IDocumentSession session, IQuerySession query)
        {
            public void {|AUD1001:Store|}(Item item) => session.Store(item);
            public void {|AUD1001:Delete|}(Item item) => session.Delete(item);
            public Task {|AUD1001:Commit|}() => session.SaveChangesAsync();
            public Task<Item?> Load(Guid id) => session.LoadAsync<Item>(id);
            public Task<Item?> Query(Guid id) => query.LoadAsync<Item>(id);
        }
        """);

    [Fact]
    public Task NHibernate_session_writes_are_mutations_Get_and_Query_are_not() => Verify(LibraryStubs.NHibernate, """
        using NHibernate;
        public sealed class ItemsUseCase(ISession session, IStatelessSession stateless)
        {
            public Task {|AUD1001:Save|}(Item item) => session.SaveAsync(item);
            public void {|AUD1001:Delete|}(Item item) => session.Delete(item);
            public void {|AUD1001:Upsert|}(Item item) => session.SaveOrUpdate(item);
            public object {|AUD1001:Insert|}(Item item) => stateless.Insert(item);
            public Task<Item> Get(Guid id) => session.GetAsync<Item>(id);
            public object Query() => session.Query<Item>();
            public object Raw(Guid id) => stateless.Get("Item", id);
        }
        """);

    [Fact]
    public Task Redis_commands_that_change_a_key_are_mutations_gets_and_exists_are_not() => Verify(LibraryStubs.Redis, """
        using StackExchange.Redis;
        public sealed class BasketsUseCase(IDatabase redis)
        {
            public Task {|AUD1001:Save|}(string id, string json) => redis.StringSetAsync(id, json);
            public Task {|AUD1001:Drop|}(string id) => redis.KeyDeleteAsync(id);
            public long {|AUD1001:Count|}(string id) => redis.HashIncrement(id, "views");
            public Task<RedisValue> Load(string id) => redis.StringGetAsync(id);
            public Task<bool> Exists(string id) => redis.KeyExistsAsync(id);
            public RedisValue Views(string id) => redis.HashGet(id, "views");
        }
        """);
}
