// expects: AUD1001
// Services in a cycle (A → B → A): the mutation on B's other branch is found, and the quiet cycle is not an alarm.
namespace Corpus.C58;

public sealed class Item { public int Id { get; set; } }
public interface IItemRepository { Task DeleteAsync(Item item); Task<Item?> GetAsync(int id); }

public sealed class Archiver(Purger purger)
{
    public Task Archive(Item item, int depth) => depth > 0 ? purger.Purge(item, depth - 1) : Task.CompletedTask;

    public Task Touch(Item item, int depth) => depth > 0 ? purger.Check(item, depth - 1) : Task.CompletedTask;
}

public sealed class Purger(IItemRepository repository)
{
    public Archiver? Archiver { get; set; }

    public Task Purge(Item item, int depth) => depth % 2 == 0 ? Archiver!.Archive(item, depth) : repository.DeleteAsync(item);

    public Task Check(Item item, int depth) => Archiver!.Touch(item, depth);
}

public sealed class ArchiveItemHandler(Archiver archiver)
{
    public Task Handle(Item item) => archiver.Archive(item, 3); // expect: AUD1001

    public Task Inspect(Item item) => archiver.Touch(item, 3);
}
