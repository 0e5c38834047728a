using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace TaskBoard;

/// <summary>
/// The sample's one database: its tasks and, mapped beside them, the activity log. A logged use case's SaveChanges and its
/// record commit in one transaction (SQLite by default, PostgreSQL with <c>--postgres</c>).
/// </summary>
public sealed class TaskBoardDbContext(DbContextOptions<TaskBoardDbContext> options) : DbContext(options)
{
    public DbSet<TaskItem> Tasks => Set<TaskItem>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<TaskItem>(task =>
        {
            task.ToTable("tasks");
            task.HasKey(t => t.Id);
            task.Property(t => t.Title).HasMaxLength(200);
            task.HasIndex(t => t.OwnerId);
        });
        modelBuilder.MapActivityLog(this);
    }

    /// <summary>
    /// Creates what is missing: the tasks table (also in a log-only database from an earlier version of the sample), then
    /// the activity log's table, indexes and append-only triggers.
    /// </summary>
    public static async Task CreateAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using AsyncServiceScope scope = services.CreateAsyncScope();
        TaskBoardDbContext db = scope.ServiceProvider.GetRequiredService<TaskBoardDbContext>();
        if (!await db.Database.EnsureCreatedAsync(cancellationToken) && !await TasksTableExistsAsync(db, cancellationToken))
        {
            await db.Database.GetService<Microsoft.EntityFrameworkCore.Storage.IRelationalDatabaseCreator>().CreateTablesAsync(cancellationToken);
        }

        await db.Database.MigrateActivityLogAsync(cancellationToken: cancellationToken);
    }

    private static async Task<bool> TasksTableExistsAsync(TaskBoardDbContext db, CancellationToken cancellationToken) =>
        await (db.Database.IsSqlite()
            ? db.Database.SqlQueryRaw<int>("SELECT count(*) AS \"Value\" FROM sqlite_master WHERE type = 'table' AND name = 'tasks'")
            : db.Database.SqlQueryRaw<int>("SELECT count(*)::int AS \"Value\" FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'tasks'"))
            .SingleAsync(cancellationToken) > 0;
}

/// <summary>The tasks, read and written through the request's context (so in the use case's transaction).</summary>
public sealed class EfTaskRepository(TaskBoardDbContext db) : ITaskRepository, ITaskQueries
{
    public async ValueTask AddAsync(TaskItem task, CancellationToken cancellationToken = default)
    {
        db.Tasks.Add(task);
        await db.SaveChangesAsync(cancellationToken);
    }

    public async ValueTask UpdateAsync(TaskItem task, CancellationToken cancellationToken = default)
    {
        TaskItem stored = await db.Tasks.FindAsync([task.Id], cancellationToken) ?? throw new KeyNotFoundException($"Task {task.Id} not found.");
        db.Entry(stored).CurrentValues.SetValues(task);
        await db.SaveChangesAsync(cancellationToken);
    }

    public async ValueTask DeleteAsync(Guid id, CancellationToken cancellationToken = default)
    {
        if (await db.Tasks.FindAsync([id], cancellationToken) is { } stored)
        {
            db.Tasks.Remove(stored);
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    public async ValueTask<TaskItem> GetAsync(Guid id, CancellationToken cancellationToken = default) =>
        await FindAsync(id, cancellationToken) ?? throw new KeyNotFoundException($"Task {id} not found.");

    public async ValueTask<TaskItem?> FindAsync(Guid id, CancellationToken cancellationToken = default) =>
        await db.Tasks.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, cancellationToken);

    public async ValueTask<IReadOnlyList<TaskItem>> ListByOwnerAsync(Guid ownerId, CancellationToken cancellationToken = default) =>
        await db.Tasks.AsNoTracking().Where(t => t.OwnerId == ownerId).OrderBy(t => t.Id).ToListAsync(cancellationToken);
}
