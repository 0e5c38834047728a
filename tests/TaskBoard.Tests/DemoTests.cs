using Microsoft.Extensions.Configuration;
namespace TaskBoard.Tests;

public sealed class DemoTests
{
    [Fact]
    public async Task Demo_prints_the_three_views_and_its_log_survives_a_second_run()
    {
        string directory = Directory.CreateTempSubdirectory("taskboard-demo-").FullName;
        try
        {
            var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder()
                .AddCommandLine(["--db", Path.Combine(directory, "demo.db")]).Build();

            var first = new StringWriter();
            await Demo.RunAsync(configuration, first);
            var second = new StringWriter();
            await Demo.RunAsync(configuration, second);

            string output = first.ToString();
            Assert.Contains("(0 records by bob before this run)", output);
            Assert.Matches(@"History of Task#[0-9a-f-]{36} \(oldest first\):\r?\n.*create_task +by alice\r?\n.*update_task +by alice\r?\n.*complete_task +by bob", output);
            Assert.Contains("title=Write the README", output);
            Assert.Matches(@"Actions by bob .*\r?\n  complete_task  1\r?\n  create_task    1\r?\n  delete_task    1", output);

            // The log is durable: the second run starts from the first run's records.
            Assert.Contains("(3 records by bob before this run)", second.ToString());
            Assert.Matches(@"  complete_task  2\r?\n  create_task    2\r?\n  delete_task    2", second.ToString());
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }
}
