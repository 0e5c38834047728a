// expects: AUD1003
namespace Corpus;

public sealed record Vacuumed(Guid Id, Guid OwnerId);

public sealed class VacuumUseCase(AppDb db)
{
    [LogsActivity("vacuum", EntityType = "Database")]
    public async Task<Vacuumed> ExecuteAsync(Guid actorId)
    {
        await Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.ExecuteSqlRawAsync(db.Database, "DELETE FROM tasks WHERE done"); // expect: AUD1003
        return new Vacuumed(Guid.NewGuid(), actorId);
    }
}
