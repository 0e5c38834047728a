using System.ComponentModel;

namespace AuditGen.Storage;

/// <summary>One condition of a query on a durable adapter's table: <c>Column Operator @value</c>.</summary>
/// <param name="Column">The column: <c>entity_type</c>, <c>entity_id</c>, <c>actor_id</c>, <c>owner_id</c>, <c>action</c>, <c>sequence</c> or <c>occurred_at</c>.</param>
/// <param name="Operator">The comparison: <c>=</c>, <c>&lt;</c>, <c>&gt;</c> or <c>&gt;=</c>.</param>
/// <param name="Value">A <see cref="string"/>, <see cref="Guid"/>, <see cref="long"/> (sequence) or UTC <see cref="DateTimeOffset"/> (occurred_at), for the adapter to bind.</param>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public readonly record struct ActivityFilter(string Column, string Operator, object Value);
