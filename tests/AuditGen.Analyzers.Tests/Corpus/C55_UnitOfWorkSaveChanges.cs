// expects: AUD1001
// SaveChanges on any type commits pending changes: here a unit of work that is neither a DbContext nor a *Repository.
namespace Corpus.C55;

public interface IUnitOfWork { Task<int> SaveChangesAsync(CancellationToken cancellationToken = default); }
public sealed class Order { public int Id { get; set; } public bool Shipped { get; set; } }

public sealed class ShipOrderHandler(IUnitOfWork unitOfWork)
{
    public async Task Handle(Order order, CancellationToken cancellationToken) // expect: AUD1001
    {
        order.Shipped = true;
        await unitOfWork.SaveChangesAsync(cancellationToken);
    }
}
