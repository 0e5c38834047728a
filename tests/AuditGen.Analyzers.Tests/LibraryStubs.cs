namespace AuditGen.Analyzers.Tests;

/// <summary>
/// Stand-ins for the data-access libraries and application frameworks, declared under their real namespaces and
/// metadata names: the analyzers recognise them by name only, so no package is referenced.
/// </summary>
internal static class LibraryStubs
{
    public const string Dapper = """
        namespace Dapper
        {
            public static class SqlMapper
            {
                public static int Execute(this System.Data.IDbConnection cnn, string sql, object? param = null) => 0;
                public static System.Threading.Tasks.Task<int> ExecuteAsync(this System.Data.IDbConnection cnn, string sql, object? param = null) => System.Threading.Tasks.Task.FromResult(0);
                public static T? ExecuteScalar<T>(this System.Data.IDbConnection cnn, string sql, object? param = null) => default;
                public static System.Collections.Generic.IEnumerable<T> Query<T>(this System.Data.IDbConnection cnn, string sql, object? param = null) => [];
            }
        }
        """;

    public const string Ardalis = """
        namespace Ardalis.Specification
        {
            using System.Threading;
            using System.Threading.Tasks;
            public interface ISpecification<T> { }
            public interface IReadRepositoryBase<T> where T : class
            {
                Task<T?> GetByIdAsync(int id, CancellationToken cancellationToken = default);
                Task<System.Collections.Generic.List<T>> ListAsync(ISpecification<T> specification, CancellationToken cancellationToken = default);
            }
            public interface IRepositoryBase<T> : IReadRepositoryBase<T> where T : class
            {
                Task<T> AddAsync(T entity, CancellationToken cancellationToken = default);
                Task<int> UpdateAsync(T entity, CancellationToken cancellationToken = default);
                Task<int> DeleteAsync(T entity, CancellationToken cancellationToken = default);
                Task<int> DeleteRangeAsync(ISpecification<T> specification, CancellationToken cancellationToken = default);
            }
        }
        """;

    public const string Identity = """
        namespace Microsoft.AspNetCore.Identity
        {
            using System.Threading.Tasks;
            public sealed class IdentityResult { }
            public class UserManager<TUser> where TUser : class
            {
                public virtual Task<IdentityResult> CreateAsync(TUser user, string password) => Task.FromResult(new IdentityResult());
                public virtual Task<IdentityResult> AddToRoleAsync(TUser user, string role) => Task.FromResult(new IdentityResult());
                public virtual Task<TUser?> FindByEmailAsync(string email) => Task.FromResult<TUser?>(null);
                public virtual Task<bool> CheckPasswordAsync(TUser user, string password) => Task.FromResult(true);
            }
            public class RoleManager<TRole> where TRole : class
            {
                public virtual Task<IdentityResult> DeleteAsync(TRole role) => Task.FromResult(new IdentityResult());
                public virtual Task<TRole?> FindByNameAsync(string name) => Task.FromResult<TRole?>(null);
            }
            public class SignInManager<TUser> where TUser : class
            {
                public virtual Task<object> TwoFactorRecoveryCodeSignInAsync(string code) => Task.FromResult(new object());
                public virtual Task<object> PasswordSignInAsync(string user, string password, bool persist, bool lockoutOnFailure) => Task.FromResult(new object());
                public virtual Task SignOutAsync() => Task.CompletedTask;
            }
        }
        """;

    public const string MongoDb = """
        namespace MongoDB.Driver
        {
            using System.Threading;
            using System.Threading.Tasks;
            public abstract class FilterDefinition<T> { }
            public abstract class UpdateDefinition<T> { }
            public interface IFindFluent<T> { }
            public interface IMongoCollection<T>
            {
                Task InsertOneAsync(T document, object? options = null, CancellationToken cancellationToken = default);
                void InsertMany(System.Collections.Generic.IEnumerable<T> documents);
                Task<object> UpdateManyAsync(FilterDefinition<T> filter, UpdateDefinition<T> update);
                Task<object> ReplaceOneAsync(FilterDefinition<T> filter, T replacement);
                Task<object> DeleteOneAsync(FilterDefinition<T> filter, CancellationToken cancellationToken = default);
                Task<object> BulkWriteAsync(System.Collections.Generic.IEnumerable<object> requests);
                Task<T> FindOneAndUpdateAsync(FilterDefinition<T> filter, UpdateDefinition<T> update);
                Task<long> CountDocumentsAsync(FilterDefinition<T> filter);
            }
            public static class IMongoCollectionExtensions
            {
                public static IFindFluent<T> Find<T>(this IMongoCollection<T> collection, System.Linq.Expressions.Expression<System.Func<T, bool>> filter) => null!;
                public static Task<object> DeleteManyAsync<T>(this IMongoCollection<T> collection, System.Linq.Expressions.Expression<System.Func<T, bool>> filter) => Task.FromResult(new object());
            }
        }
        """;

    public const string Marten = """
        namespace Marten
        {
            using System.Threading;
            using System.Threading.Tasks;
            public interface IDocumentOperations
            {
                void Store<T>(params T[] entities) where T : notnull;
                void Delete<T>(T entity) where T : notnull;
                Task<T?> LoadAsync<T>(System.Guid id, CancellationToken token = default) where T : notnull;
            }
            public interface IDocumentSession : IDocumentOperations
            {
                Task SaveChangesAsync(CancellationToken token = default);
            }
            public interface IQuerySession
            {
                Task<T?> LoadAsync<T>(System.Guid id, CancellationToken token = default) where T : notnull;
            }
        }
        """;

    public const string NHibernate = """
        namespace NHibernate
        {
            using System.Threading;
            using System.Threading.Tasks;
            public interface ISession
            {
                Task<object> SaveAsync(object obj, CancellationToken cancellationToken = default);
                void Delete(object obj);
                void SaveOrUpdate(object obj);
                Task<T> GetAsync<T>(object id, CancellationToken cancellationToken = default);
                System.Linq.IQueryable<T> Query<T>();
            }
            public interface IStatelessSession
            {
                object Insert(object entity);
                object Get(string entityName, object id);
            }
        }
        """;

    public const string AdoNet = """
        namespace Microsoft.Data.SqlClient
        {
            public sealed class SqlCommand : System.Data.Common.DbCommand
            {
                public override string CommandText { get; set; } = "";
                public override int CommandTimeout { get; set; }
                public override System.Data.CommandType CommandType { get; set; }
                public override bool DesignTimeVisible { get; set; }
                public override System.Data.UpdateRowSource UpdatedRowSource { get; set; }
                protected override System.Data.Common.DbConnection? DbConnection { get; set; }
                protected override System.Data.Common.DbParameterCollection DbParameterCollection => null!;
                protected override System.Data.Common.DbTransaction? DbTransaction { get; set; }
                public override void Cancel() { }
                public override int ExecuteNonQuery() => 0;
                public override object? ExecuteScalar() => null;
                public override void Prepare() { }
                protected override System.Data.Common.DbParameter CreateDbParameter() => null!;
                protected override System.Data.Common.DbDataReader ExecuteDbDataReader(System.Data.CommandBehavior behavior) => null!;
            }
        }
        """;

    public const string Redis = """
        namespace StackExchange.Redis
        {
            using System.Threading.Tasks;
            public readonly struct RedisKey { public static implicit operator RedisKey(string key) => default; }
            public readonly struct RedisValue { public static implicit operator RedisValue(string value) => default; }
            public interface IDatabaseAsync
            {
                Task<bool> StringSetAsync(RedisKey key, RedisValue value);
                Task<RedisValue> StringGetAsync(RedisKey key);
                Task<bool> KeyDeleteAsync(RedisKey key);
                Task<bool> KeyExistsAsync(RedisKey key);
            }
            public interface IDatabase : IDatabaseAsync
            {
                long HashIncrement(RedisKey key, RedisValue field, long value = 1);
                RedisValue HashGet(RedisKey key, RedisValue field);
            }
        }
        """;
}
