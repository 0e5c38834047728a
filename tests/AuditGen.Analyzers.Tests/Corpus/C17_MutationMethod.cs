// expects: AUD1001
namespace Corpus;

public sealed class Ledger
{
    [Mutation]
    public void Post(decimal amount) { }

    public decimal Balance() => 0m;
}

public sealed class PostPaymentUseCase(Ledger ledger)
{
    public Task ExecuteAsync(decimal amount) // expect: AUD1001
    {
        ledger.Post(amount);
        return Task.CompletedTask;
    }

    public Task<decimal> BalanceAsync() => Task.FromResult(ledger.Balance());
}
