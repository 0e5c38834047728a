using System.Globalization;
using AuditGen.Integrity;
using AuditGen.Storage;
using Spectre.Console;

namespace AuditGen.Tool;

/// <summary><c>auditgen verify</c>: the log against its checkpoints, with a progress display on a terminal.</summary>
internal static class VerifyCommand
{
    public const int Verified = 0;
    public const int Diverged = 1;
    public const int UsageError = 2;

    public sealed record Arguments(FileInfo? Sqlite, string? Postgres, string Schema, DirectoryInfo? Checkpoints, FileInfo[] Keys);

    public static async Task<int> RunAsync(Arguments arguments, CancellationToken cancellationToken)
    {
        (IActivityLogRepo? opened, string basePath, string? problem) = ToolLog.Open(arguments.Sqlite, arguments.Postgres, arguments.Schema, readOnly: true);
        if (opened is not IActivityLogOutbox log)
        {
            return Usage(problem!);
        }

        string checkpoints = arguments.Checkpoints?.FullName ?? ActivityCheckpointFiles.Checkpoints(basePath);
        if (!Directory.Exists(checkpoints))
        {
            return Usage($"--checkpoints: there is no directory {checkpoints}.");
        }

        string[] keyFiles = arguments.Keys.Length > 0 ? [.. arguments.Keys.Select(static k => k.FullName)] : [ActivityCheckpointFiles.PublicKey(basePath)];
        var trusted = new List<ActivityCheckpointKey>();
        foreach (string keyFile in keyFiles)
        {
            if (!File.Exists(keyFile))
            {
                return Usage($"--key: there is no key file {keyFile}.");
            }

            try
            {
                trusted.Add(ActivityCheckpointKey.FromJson(await File.ReadAllTextAsync(keyFile, cancellationToken)).PublicKey());
            }
            catch (FormatException ex)
            {
                return Usage($"--key {keyFile}: {ex.Message}");
            }
        }

        var sink = new FileActivityCheckpointSink(checkpoints);
        if (await sink.LatestAsync(cancellationToken) is null)
        {
            Console.WriteLine($"no checkpoint in {checkpoints}: nothing vouches for the log yet.");
            return Diverged;
        }

        ActivityLogVerification result = await VerifyWithProgressAsync(log, sink, trusted, cancellationToken);
        if (!result.IsIntact)
        {
            Console.WriteLine(result.FirstDivergentSequence is long first
                ? $"history diverges at sequence {first}: {result.Problem}"
                : $"verification failed: {result.Problem}");
            return Diverged;
        }

        ActivityCheckpoint checkpoint = result.Checkpoint!;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"verified {result.RecordsVerified} records up to checkpoint {checkpoint.TreeSize} (root {Convert.ToHexStringLower(checkpoint.RootHash)}, {checkpoint.IssuedAt:O}, key '{checkpoint.KeyId}')"));
        if (result.RecordsPurged > 0)
        {
            Console.WriteLine($"{result.RecordsPurged} checkpointed records were removed by signed retention purges.");
        }

        if (result.RecordsNotYetCovered > 0)
        {
            Console.WriteLine($"{result.RecordsNotYetCovered} records stored after it are not yet covered by a checkpoint.");
        }

        return Verified;
    }

    private static async Task<ActivityLogVerification> VerifyWithProgressAsync(IActivityLogOutbox log, FileActivityCheckpointSink sink, List<ActivityCheckpointKey> trusted,
        CancellationToken cancellationToken)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive || Console.IsOutputRedirected)
        {
            return await ActivityLogVerifier.VerifyAsync(log, sink, trusted, progress: null, cancellationToken);
        }

        long total = Math.Max(1, (await sink.LatestAsync(cancellationToken))!.TreeSize);
        return await AnsiConsole.Progress().StartAsync(async context =>
        {
            ProgressTask task = context.AddTask("verifying records", maxValue: total);
            var progress = new Progress<long>(done => task.Value = Math.Min(done, total));
            ActivityLogVerification result = await ActivityLogVerifier.VerifyAsync(log, sink, trusted, progress, cancellationToken);
            task.Value = total;
            return result;
        });
    }

    internal static int Usage(string message)
    {
        Console.Error.WriteLine(message);
        return UsageError;
    }
}
