// expects: AUD1001
namespace Corpus;

public sealed class InsertTaskUseCase(AppDb db)
{
    public void Execute(TaskItem task) => db.Tasks.Add(task); // expect: AUD1001
}
