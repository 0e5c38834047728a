// expects: nothing
namespace Corpus;

public sealed class ShoppingCart
{
    public void AddItem(string sku) { }
}

public sealed class AddToCartUseCase(ShoppingCart cart)
{
    public Task ExecuteAsync(string sku)
    {
        cart.AddItem(sku);
        return Task.CompletedTask;
    }
}
