using AuditGen;
using Microsoft.EntityFrameworkCore;

[assembly: LoggedUseCasesRegistration("AddShopUseCases")]

namespace AuditGen.EntityFrameworkCore.Shop;

public interface IPlaceOrder
{
    Task<Order> ExecuteAsync(Guid actorId, string item, CancellationToken cancellationToken = default);
}

/// <summary>Creates an order and saves it; the generated code records <c>place_order</c> in the same transaction.</summary>
public sealed partial class PlaceOrder(ShopContext db, IActivityLogRepo log) : IPlaceOrder
{
    /// <summary>Runs after SaveChanges, before the use case returns: tests throw or cancel here.</summary>
    public Func<Order, Task>? AfterSave { get; set; }

    [LogsActivity("place_order", EntityType = "Order")]
    public async Task<Order> ExecuteAsync(Guid actorId, [ActivityMetadata] string item, CancellationToken cancellationToken = default)
    {
        var order = new Order { Id = Guid.CreateVersion7(), OwnerId = actorId, Item = item };
        db.Orders.Add(order);
        await db.SaveChangesAsync(cancellationToken);
        if (AfterSave is not null)
        {
            await AfterSave(order);
        }

        return order;
    }
}

public interface IShipOrder
{
    Task ExecuteAsync(Guid actorId, Guid orderId, CancellationToken cancellationToken = default);
}

/// <summary>Loads an order and marks it shipped; recorded as <c>ship_order</c>.</summary>
public sealed partial class ShipOrder(ShopContext db, IActivityLogRepo log) : IShipOrder
{
    [LogsActivity("ship_order", EntityType = "Order")]
    public async Task ExecuteAsync(Guid actorId, [EntityId] Guid orderId, CancellationToken cancellationToken = default)
    {
        Order order = await db.Orders.SingleAsync(o => o.Id == orderId, cancellationToken);
        order.Shipped = true;
        await db.SaveChangesAsync(cancellationToken);
    }
}
