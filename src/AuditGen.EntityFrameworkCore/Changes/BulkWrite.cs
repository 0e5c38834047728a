using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Query;
using Microsoft.EntityFrameworkCore.Storage;

namespace AuditGen.EntityFrameworkCore;

/// <summary>
/// One <c>ExecuteUpdate</c> or <c>ExecuteDelete</c> inside a logged use case: read the affected rows (keys, and the values
/// it changes) with the write's own query, write, read an update's new values by key, and hand the changes to the capture.
/// </summary>
internal static class BulkWrite
{
    private static readonly MethodInfo PropertyMethod = typeof(EF).GetMethod(nameof(EF.Property))!;

    private static readonly MethodInfo ParameterMethod = typeof(EF).GetMethod(nameof(EF.Parameter))!;

    private static readonly MethodInfo ContainsMethod = typeof(Enumerable).GetMethods()
        .Single(static m => m.Name == nameof(Enumerable.Contains) && m.GetParameters().Length == 2);

    private static readonly MethodInfo IgnoreQueryFiltersMethod = typeof(EntityFrameworkQueryableExtensions).GetMethods()
        .Single(static m => m.Name == nameof(EntityFrameworkQueryableExtensions.IgnoreQueryFilters) && m.GetParameters().Length == 1);

    public static async ValueTask<int> RunAsync<TSource>(
        DbContext context, DbContextChangeCapture capture, IQueryable<TSource> source, Action<UpdateSettersBuilder<TSource>>? setters,
        string[]? properties, bool async, CancellationToken cancellationToken)
    {
        IEntityType? entityType = context.Model.FindEntityType(typeof(TSource));
        EntityCapturePlan? plan = entityType is null ? null : capture.Plans.For(entityType);
        if (plan is null || plan.Ignored || plan.JoinSides.Length > 0 || plan.IsOwnedPart)
        {
            return await WriteAsync(source, setters, async, cancellationToken).ConfigureAwait(false); // no entity the record can name
        }

        BulkReadPlan read = capture.Plans.BulkRead(entityType!, plan, setters is null ? null : properties, deleting: setters is null);
        int room = capture.Room;
        List<List<object?>> before = room == 0 ? [] : await ToListAsync(source.Select(read.Projection<TSource>()).Take(room), async, cancellationToken).ConfigureAwait(false);

        // An update's new values come back from the write itself (RETURNING) where the command allows; else read by key after.
        BulkWriteReturning? returning = setters is not null && before.Count > 0 && read.Properties.Length > 0 && read.Columns is { } columns
            ? new BulkWriteReturning(read, columns, context.GetService<ISqlGenerationHelper>(), context.Database.GetDbConnection() is SqliteConnection, [.. before.Select(read.Id)])
            : null;
        int affected;
        capture.Returning = returning;
        try
        {
            affected = await WriteAsync(source, setters, async, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            capture.Returning = null; // taken by the command already, unless it never ran
        }

        var changes = new List<EntityChangeBuilder>(before.Count);
        if (setters is null)
        {
            foreach (List<object?> row in before)
            {
                var change = new EntityChangeBuilder(new EntityRef(plan.EntityType, read.Id(row)), EntityChangeKind.Deleted);
                for (int i = 0; i < read.Properties.Length; i++)
                {
                    PropertyPlan property = read.Properties[i];
                    change.Set(property, ChangeValues.ToRecordValue(row[read.Keys.Count + i]), null);
                }

                changes.Add(change);
            }
        }
        else if (before.Count > 0 && read.Properties.Length > 0)
        {
            Dictionary<string, List<object?>> after = returning?.Rows ??
                (await ReadByKeysAsync(context, entityType!, read, before, async, cancellationToken).ConfigureAwait(false)).ToDictionary(read.Id, StringComparer.Ordinal);
            foreach (List<object?> row in before)
            {
                string id = read.Id(row);
                if (!after.TryGetValue(id, out List<object?>? now))
                {
                    continue; // gone since (not by this write): nothing to compare
                }

                EntityChangeBuilder? change = null;
                for (int i = 0; i < read.Properties.Length; i++)
                {
                    PropertyPlan property = read.Properties[i];
                    object? oldValue = row[read.Keys.Count + i];
                    object? newValue = now[read.Keys.Count + i];
                    if (!property.Comparer.Equals(oldValue, newValue))
                    {
                        change ??= new EntityChangeBuilder(new EntityRef(plan.EntityType, id), EntityChangeKind.Modified);
                        change.Set(property, ChangeValues.ToRecordValue(oldValue), ChangeValues.ToRecordValue(newValue));
                    }
                }

                if (change is not null)
                {
                    changes.Add(change);
                }
            }
        }

        capture.AddBulk(changes, Math.Max(0, affected - before.Count));
        return affected;
    }

    private static readonly MethodInfo ReadByKeysMethod = typeof(BulkWrite).GetMethod(nameof(ReadByKeysOfAsync), BindingFlags.NonPublic | BindingFlags.Static)!;

    /// <summary>
    /// The rows of <paramref name="entityType"/> with the keys <paramref name="keys"/> (one list of key values each), read
    /// with <paramref name="read"/>'s projection: up to <see cref="BulkKeyRead.MaxKeys"/> of one key column through the
    /// plan's compiled query, more (a bulk update read again after it) or a composite key through a query built for them.
    /// </summary>
    public static ValueTask<List<List<object?>>> ReadByKeysAsync(
        DbContext context, IEntityType entityType, BulkReadPlan read, List<List<object?>> keys, bool async, CancellationToken cancellationToken) =>
        read.Keys.Count == 1 && keys.Count <= BulkKeyRead.MaxKeys
            ? read.KeyRead(entityType).ReadAsync(context, keys, async, cancellationToken)
            : (ValueTask<List<List<object?>>>)ReadByKeysMethod.MakeGenericMethod(entityType.ClrType)
                .Invoke(null, [context.GetService<IAsyncQueryProvider>(), entityType, read, keys, async, cancellationToken])!;

    private static ValueTask<List<List<object?>>> ReadByKeysOfAsync<TSource>(
        IQueryProvider provider, IEntityType entityType, BulkReadPlan read, List<List<object?>> keys, bool async, CancellationToken cancellationToken) =>
        ToListAsync(ByKeys<TSource>(provider, entityType, read, keys).Select(read.Projection<TSource>()), async, cancellationToken);

    private static async ValueTask<int> WriteAsync<TSource>(IQueryable<TSource> source, Action<UpdateSettersBuilder<TSource>>? setters, bool async, CancellationToken cancellationToken)
    {
        if (setters is null)
        {
            return async ? await source.ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false) : source.ExecuteDelete();
        }

        return async ? await source.ExecuteUpdateAsync(setters, cancellationToken).ConfigureAwait(false) : source.ExecuteUpdate(setters);
    }

    private static async ValueTask<List<List<object?>>> ToListAsync(IQueryable<List<object?>> query, bool async, CancellationToken cancellationToken) =>
        async ? await query.ToListAsync(cancellationToken).ConfigureAwait(false) : query.ToList();

    /// <summary>
    /// The entity type's rows with the keys of <paramref name="rows"/>, whatever the query filters say (an update may have
    /// moved a row out of them, as a soft delete does). One key column: the keys as one parameter holding the list (a JSON
    /// array on SQLite, an array on PostgreSQL; EF Core 10's default of a parameter per key would cost far more for a
    /// thousand keys, and meets the databases' limits on parameters). A composite key: an <c>OR</c> of its columns'
    /// equalities, each value a captured variable rather than a constant, so EF Core sends it as a parameter and caches one
    /// query per number of rows (constants would make every set of keys a query of its own to compile and cache).
    /// </summary>
    private static IQueryable<TSource> ByKeys<TSource>(IQueryProvider provider, IEntityType entityType, BulkReadPlan read, List<List<object?>> rows)
    {
        LambdaExpression where;
        if (read.Keys.Count == 1)
        {
            var values = Array.CreateInstance(read.Keys[0].ClrType, rows.Count);
            for (int i = 0; i < rows.Count; i++)
            {
                values.SetValue(rows[i][0], i);
            }

            where = KeyIn(entityType, read.Keys[0], Expression.Call(ParameterMethod.MakeGenericMethod(values.GetType()), Captured(values, values.GetType())));
        }
        else
        {
            ParameterExpression entity = Expression.Parameter(typeof(TSource), "e");
            where = Expression.Lambda(rows
                .Select(row => read.Keys
                    .Select((key, i) => (Expression)Expression.Equal(Property(entity, key)!, Captured(row[i], key.ClrType)))
                    .Aggregate(Expression.AndAlso))
                .Aggregate(Expression.OrElse), entity);
        }

        return provider.CreateQuery<TSource>(AllRowsWhere(entityType, where));
    }

    /// <summary>
    /// The entity type's rows that <paramref name="where"/> keeps, whatever the query filters say (an update may have moved
    /// a row out of them, as a soft delete does): <c>IgnoreQueryFilters().Where(where)</c> on its query root.
    /// </summary>
    internal static Expression AllRowsWhere(IEntityType entityType, LambdaExpression where) =>
        Expression.Call(typeof(Queryable), nameof(Queryable.Where), [entityType.ClrType],
            Expression.Call(IgnoreQueryFiltersMethod.MakeGenericMethod(entityType.ClrType), new EntityQueryRootExpression(entityType)),
            Expression.Quote(where));

    /// <summary><c>e => keys.Contains(EF.Property(e, key))</c>, for an entity type with one key column.</summary>
    internal static LambdaExpression KeyIn(IEntityType entityType, IProperty key, Expression keys)
    {
        ParameterExpression entity = Expression.Parameter(entityType.ClrType, "e");
        return Expression.Lambda(Expression.Call(ContainsMethod.MakeGenericMethod(key.ClrType), keys, Property(entity, key)!), entity);
    }

    private static MemberExpression Captured(object? value, Type type) =>
        Expression.Field(Expression.Constant(Activator.CreateInstance(typeof(StrongBox<>).MakeGenericType(type), value)), nameof(StrongBox<object>.Value));

    /// <summary>A property of the entity as EF Core translates it: <c>EF.Property</c> (shadow properties too), or a member path into a complex property.</summary>
    internal static Expression? Property(ParameterExpression entity, IProperty property)
    {
        if (property.DeclaringType is IEntityType)
        {
            return Expression.Call(PropertyMethod.MakeGenericMethod(property.ClrType), entity, Expression.Constant(property.Name));
        }

        var path = new Stack<PropertyInfo>();
        ITypeBase type = property.DeclaringType;
        while (type is IComplexType complex)
        {
            if (complex.ComplexProperty.PropertyInfo is not { } member)
            {
                return null;
            }

            path.Push(member);
            type = complex.ComplexProperty.DeclaringType;
        }

        if (property.PropertyInfo is not { } leaf)
        {
            return null;
        }

        Expression access = entity;
        foreach (PropertyInfo member in path)
        {
            access = Expression.Property(access, member);
        }

        return Expression.Property(access, leaf);
    }
}

/// <summary>
/// What a bulk write of one entity type reads: its key, then the properties it changes (or, for a delete, every recorded
/// property), as one projection to a list of values, built once per entity type and property set.
/// </summary>
internal sealed class BulkReadPlan
{
    private readonly LambdaExpression _projection;

    private BulkReadPlan(IReadOnlyList<IProperty> keys, PropertyPlan[] properties, LambdaExpression projection, BulkReturningColumns? columns)
    {
        Keys = keys;
        Properties = properties;
        _projection = projection;
        Columns = columns;
    }

    public IReadOnlyList<IProperty> Keys { get; }

    public PropertyPlan[] Properties { get; }

    /// <summary>The same values as columns of the entity's table, for an update's <c>RETURNING</c>; null when one is not a column there.</summary>
    public BulkReturningColumns? Columns { get; }

    public Expression<Func<TSource, List<object?>>> Projection<TSource>() => (Expression<Func<TSource, List<object?>>>)_projection;

    private BulkKeyRead? _keyRead;

    /// <summary>The compiled read by key (one key column), made on first use.</summary>
    public BulkKeyRead KeyRead(IEntityType entityType) => _keyRead ??= BulkKeyRead.Create(entityType, this);

    /// <summary>The entity id of a row read with this plan.</summary>
    public string Id(List<object?> row) => ChangeValues.Id(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(row)[..Keys.Count]);

    /// <param name="entityType">The entity type.</param>
    /// <param name="plan">Its capture plan.</param>
    /// <param name="names">The properties an update sets (a complex property's name stands for its properties); null: all.</param>
    /// <param name="deleting">A delete: every recorded property, keys included, as a deleted entity records them.</param>
    public static BulkReadPlan Create(IEntityType entityType, EntityCapturePlan plan, string[]? names, bool deleting)
    {
        ParameterExpression entity = Expression.Parameter(entityType.ClrType, "e");
        var columns = new List<Expression>();
        foreach (IProperty key in plan.Keys)
        {
            columns.Add(Box(BulkWrite.Property(entity, key)!));
        }

        var properties = new List<PropertyPlan>();
        foreach (PropertyPlan property in plan.Properties)
        {
            bool wanted = deleting || (!property.IsKey && (names is null || names.Any(n =>
                property.Name == n || (property.Name.StartsWith(n, StringComparison.Ordinal) && property.Name.Length > n.Length && property.Name[n.Length] == '.'))));
            if (wanted && BulkWrite.Property(entity, property.Property) is { } access)
            {
                properties.Add(property);
                columns.Add(Box(access));
            }
        }

        LambdaExpression projection = Expression.Lambda(
            typeof(Func<,>).MakeGenericType(entityType.ClrType, typeof(List<object?>)), Expression.ListInit(Expression.New(typeof(List<object?>)), columns), entity);
        return new BulkReadPlan(plan.Keys, [.. properties], projection,
            BulkReturningColumns.Create(entityType, [.. plan.Keys, .. properties.Select(static p => p.Property)]));
    }

    private static Expression Box(Expression value) => value.Type.IsValueType ? Expression.Convert(value, typeof(object)) : value;
}
