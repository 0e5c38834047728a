using System.Data.Common;
using System.Linq.Expressions;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace AuditGen.EntityFrameworkCore;

/// <summary>
/// The columns of a bulk read's values in the entity's table, and a reader of each that gives the model's CLR value the
/// way EF Core's own materializer does: the type mapping's data reader method, its customization, then the value
/// converter from the provider's value. Built once per <see cref="BulkReadPlan"/>.
/// </summary>
internal sealed class BulkReturningColumns
{
    private static readonly MethodInfo IsDBNullMethod = typeof(DbDataReader).GetMethod(nameof(DbDataReader.IsDBNull), [typeof(int)])!;

    private readonly Func<DbDataReader, int, object?>[] _readers;

    private BulkReturningColumns(string[] names, Func<DbDataReader, int, object?>[] readers)
    {
        Names = names;
        _readers = readers;
    }

    /// <summary>The column names, unquoted, in the plan's order (keys, then properties).</summary>
    public string[] Names { get; }

    /// <summary>The model value of column <paramref name="ordinal"/> of the current row.</summary>
    public object? Read(DbDataReader reader, int ordinal) => _readers[ordinal](reader, ordinal);

    /// <summary>The columns of <paramref name="properties"/> in <paramref name="entityType"/>'s table, or null when one has none there (JSON, another table, no table).</summary>
    public static BulkReturningColumns? Create(IEntityType entityType, IEnumerable<IProperty> properties)
    {
        if (StoreObjectIdentifier.Create(entityType, StoreObjectType.Table) is not { } table)
        {
            return null;
        }

        var names = new List<string>();
        var readers = new List<Func<DbDataReader, int, object?>>();
        foreach (IProperty property in properties)
        {
            if (property.GetColumnName(table) is not { } column || property.FindRelationalTypeMapping(table) is not { } mapping)
            {
                return null;
            }

            names.Add(column);
            readers.Add(Reader(property.ClrType, mapping, property.IsColumnNullable(table)));
        }

        return new BulkReturningColumns([.. names], [.. readers]);
    }

    /// <param name="clrType">The property's CLR type.</param>
    /// <param name="mapping">Its column's type mapping.</param>
    /// <param name="nullable">Whether the column may hold NULL: only then is it asked (each question is a call into the provider, per cell).</param>
    private static Func<DbDataReader, int, object?> Reader(Type clrType, RelationalTypeMapping mapping, bool nullable)
    {
        ParameterExpression reader = Expression.Parameter(typeof(DbDataReader), "reader");
        ParameterExpression ordinal = Expression.Parameter(typeof(int), "ordinal");
        MethodInfo get = mapping.GetDataReaderMethod();
        Expression value = Expression.Call(get.DeclaringType == typeof(DbDataReader) ? reader : Expression.Convert(reader, get.DeclaringType!), get, ordinal);
        value = mapping.CustomizeDataReaderExpression(value);
        if (mapping.Converter is { } converter)
        {
            if (value.Type != converter.ProviderClrType)
            {
                value = Expression.Convert(value, converter.ProviderClrType);
            }

            value = Expression.Invoke(converter.ConvertFromProviderExpression, value);
        }

        Type model = Nullable.GetUnderlyingType(clrType) ?? clrType;
        if (value.Type != model)
        {
            value = Expression.Convert(value, model);
        }

        Expression read = Expression.Convert(value, typeof(object));
        if (nullable)
        {
            read = Expression.Condition(Expression.Call(reader, IsDBNullMethod, ordinal), Expression.Constant(null, typeof(object)), read);
        }

        return Expression.Lambda<Func<DbDataReader, int, object?>>(read, reader, ordinal).Compile();
    }
}
