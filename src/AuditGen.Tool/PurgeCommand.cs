using System.Globalization;
using AuditGen.Integrity;

namespace AuditGen.Tool;

/// <summary>
/// <c>auditgen purge</c>: a retention run from the command line. On a tamper-evident log (a checkpoint directory beside the
/// database, or <c>--checkpoints</c>) it needs the signing key, writes the checkpoint at the retention boundary first and
/// signs the purge records, exactly as the application's <see cref="ActivityLogRetention"/> does.
/// </summary>
internal static class PurgeCommand
{
    public const int Purged = 0;
    public const int Failed = 1;

    public sealed record Arguments(FileInfo? Sqlite, string? Postgres, string Schema, int KeepMonths, string[] KeepByAction, Guid Actor,
        DirectoryInfo? Checkpoints, FileInfo? SigningKey, int MaxRecords);

    public static async Task<int> RunAsync(Arguments arguments, CancellationToken cancellationToken)
    {
        var options = new ActivityRetentionOptions { MaxRecordsPerPurge = arguments.MaxRecords, ActorId = arguments.Actor };
        options.Policy.KeepMonths = arguments.KeepMonths;
        foreach (string keep in arguments.KeepByAction)
        {
            string[] parts = keep.Split('=', 2);
            if (parts.Length != 2 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int months))
            {
                return VerifyCommand.Usage($"--keep '{keep}': write ACTION=MONTHS, such as sign_in=3.");
            }

            options.Policy.KeepMonthsByAction[parts[0]] = months;
        }

        try
        {
            options.Validate();
        }
        catch (ArgumentException ex)
        {
            return VerifyCommand.Usage($"{ex.ParamName}: {ex.Message}");
        }

        (IActivityLogRepo? log, string basePath, string? problem) = ToolLog.Open(arguments.Sqlite, arguments.Postgres, arguments.Schema, readOnly: false);
        if (log is null)
        {
            return VerifyCommand.Usage(problem!);
        }

        await using (log as IAsyncDisposable)
        {
            ActivityCheckpointer? checkpointer = null;
            string checkpoints = arguments.Checkpoints?.FullName ?? ActivityCheckpointFiles.Checkpoints(basePath);
            if (Directory.Exists(checkpoints))
            {
                string keyFile = arguments.SigningKey?.FullName ?? ActivityCheckpointFiles.SigningKey(basePath);
                if (!File.Exists(keyFile))
                {
                    return VerifyCommand.Usage($"--signing-key: this log is tamper-evident ({checkpoints}) and there is no signing key {keyFile}: a purge must be signed.");
                }

                ActivityCheckpointKey key;
                try
                {
                    key = ActivityCheckpointKey.FromJson(await File.ReadAllTextAsync(keyFile, cancellationToken));
                }
                catch (FormatException ex)
                {
                    return VerifyCommand.Usage($"--signing-key {keyFile}: {ex.Message}");
                }

                if (!key.CanSign)
                {
                    return VerifyCommand.Usage($"--signing-key {keyFile}: a public key cannot sign; give the private key file.");
                }

                checkpointer = new ActivityCheckpointer(log, new ActivityCheckpointOptions { Sink = new FileActivityCheckpointSink(checkpoints), Key = key });
            }

            try
            {
                ActivityPurgeResult result = await new ActivityLogRetention(log, options, checkpointer).PurgeAsync(arguments.Actor, cancellationToken);
                if (checkpointer is not null)
                {
                    await checkpointer.StopAsync(cancellationToken); // hand the checkpoint lease back at once
                }

                Console.WriteLine(result.RecordsPurged == 0
                    ? "nothing to purge: every record is within its retention period or under a legal hold."
                    : $"purged {result.RecordsPurged} records in {result.Records.Count} recorded purges" +
                      (result.PartitionsDropped.Count > 0 ? $", partitions dropped: {string.Join(", ", result.PartitionsDropped)}" : "") +
                      (checkpointer is null ? "." : "; signed, after a checkpoint at the retention boundary."));
                return Purged;
            }
            catch (InvalidOperationException ex)
            {
                Console.Error.WriteLine(ex.Message);
                return Failed;
            }
        }
    }
}
