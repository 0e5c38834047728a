// expects: nothing
namespace Corpus;

public sealed class PingPongUseCase(ITaskRepository repo)
{
    public Task<TaskItem?> ExecuteAsync(Guid id, int n) => Ping(id, n);

    private Task<TaskItem?> Ping(Guid id, int n) => n == 0 ? repo.GetAsync(id) : Pong(id, n - 1);

    private Task<TaskItem?> Pong(Guid id, int n) => Ping(id, n);
}
