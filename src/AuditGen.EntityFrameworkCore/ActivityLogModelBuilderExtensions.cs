using AuditGen.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Microsoft.EntityFrameworkCore;

/// <summary>Maps the activity log into the application's model.</summary>
public static class ActivityLogModelBuilderExtensions
{
    /// <summary>
    /// Maps the log's table as <see cref="ActivityLogEntry"/> (read-only, keyed by sequence), so LINQ can read it beside the
    /// application's data: <c>context.Set&lt;ActivityLogEntry&gt;()</c>. The table stays out of EF migrations and
    /// <c>EnsureCreated</c>: its schema, with the append-only triggers, is the AuditGen adapters' (created by the store or
    /// by <see cref="ActivityLogDatabaseFacadeExtensions.MigrateActivityLogAsync"/>).
    /// </summary>
    /// <param name="modelBuilder">The model builder of <paramref name="context"/>'s <c>OnModelCreating</c>.</param>
    /// <param name="context">The context, whose provider (SQLite or PostgreSQL) decides the column types.</param>
    /// <param name="schema">On PostgreSQL, the schema holding the log.</param>
    /// <returns>The model builder.</returns>
    /// <exception cref="NotSupportedException">The provider is neither SQLite nor PostgreSQL.</exception>
    public static ModelBuilder MapActivityLog(this ModelBuilder modelBuilder, DbContext context, string schema = "auditgen")
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        ArgumentNullException.ThrowIfNull(context);
        bool sqlite = context.Database.ProviderName switch
        {
            "Microsoft.EntityFrameworkCore.Sqlite" => true,
            "Npgsql.EntityFrameworkCore.PostgreSQL" => false,
            string other => throw new NotSupportedException($"The activity log maps onto SQLite or PostgreSQL; this context's provider is {other}."),
            null => throw new NotSupportedException("The activity log maps onto SQLite or PostgreSQL; this context has no provider."),
        };

        modelBuilder.Entity<ActivityLogEntry>(entry =>
        {
            entry.ToTable("activity_records", sqlite ? null : schema, table => table.ExcludeFromMigrations());
            entry.HasKey(e => e.Sequence);
            entry.Property(e => e.Sequence).HasColumnName("sequence").ValueGeneratedOnAdd();
            entry.Property(e => e.RecordId).HasColumnName("record_id");
            entry.Property(e => e.ActorId).HasColumnName("actor_id");
            entry.Property(e => e.OwnerId).HasColumnName("owner_id");
            entry.Property(e => e.Action).HasColumnName("action");
            entry.Property(e => e.EntityType).HasColumnName("entity_type");
            entry.Property(e => e.EntityId).HasColumnName("entity_id");
            entry.Property(e => e.OccurredAt).HasColumnName("occurred_at");
            entry.Property(e => e.Metadata).HasColumnName("metadata").HasColumnType(sqlite ? "TEXT" : "jsonb");
            entry.Property(e => e.TraceId).HasColumnName("trace_id");
            entry.Property(e => e.SpanId).HasColumnName("span_id");
            entry.Property(e => e.Changes).HasColumnName("changes");
            entry.Property(e => e.Leaf).HasColumnName("leaf");
            if (sqlite)
            {
                // As the SQLite adapter writes them: times as UTC ticks (GUIDs are upper-case text, EF Core's default too).
                entry.Property(e => e.OccurredAt).HasConversion(new ValueConverter<DateTimeOffset, long>(
                    at => at.UtcTicks, ticks => new DateTimeOffset(ticks, TimeSpan.Zero)));
            }
        });
        return modelBuilder;
    }
}
