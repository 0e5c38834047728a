// expects: AUD1001, AUD1001, AUD1001
namespace Corpus;

public interface IAuditRepo
{
    void InsertRow(string row);
    void CreateIndex(string name);
    void SaveSnapshot();
    string ReadRow(int id);
}

public sealed class MaintenanceUseCase(IAuditRepo repo)
{
    public void Insert(string row) => repo.InsertRow(row); // expect: AUD1001

    public void Index(string name) => repo.CreateIndex(name); // expect: AUD1001

    public void Snapshot() => repo.SaveSnapshot(); // expect: AUD1001

    public string Read(int id) => repo.ReadRow(id);
}
