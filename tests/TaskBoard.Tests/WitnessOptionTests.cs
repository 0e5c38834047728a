using Microsoft.Extensions.Configuration;

namespace TaskBoard.Tests;

/// <summary>The sample's <c>--witness URL --witness-key VKEY</c>: both or neither, and the verify command it prints asks the witness.</summary>
public sealed class WitnessOptionTests
{
    private static IConfiguration Args(params string[] args) => new ConfigurationBuilder().AddCommandLine(args).Build();

    [Fact]
    public void Witness_options_come_in_pairs_and_a_missing_one_is_named()
    {
        const string Key = "witness.test/w1+0a1b2c3d+BA";

        Assert.Null(TaskBoardSetup.Witness(Args()));
        Assert.Equal(("http://127.0.0.1:7380/", Key), TaskBoardSetup.Witness(Args("--witness", "http://127.0.0.1:7380/", "--witness-key", Key)));
        Assert.Equal("witness-key", Assert.Throws<ArgumentException>(() => TaskBoardSetup.Witness(Args("--witness", "http://127.0.0.1:7380/"))).ParamName);
        Assert.Equal("witness", Assert.Throws<ArgumentException>(() => TaskBoardSetup.Witness(Args("--witness-key", Key))).ParamName);
        Assert.EndsWith($"--witness-url http://127.0.0.1:7380/ --witness-key \"{Key}\"",
            TaskBoardSetup.VerifyCommand(Args("--witness", "http://127.0.0.1:7380/", "--witness-key", Key)), StringComparison.Ordinal);
    }
}
