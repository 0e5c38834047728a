using System.CommandLine;
using System.CommandLine.Help;
using AuditGen.Tool;

// auditgen: the AuditGen command-line tool. Exit codes: 0 done (verified, purged, erased, re-wrapped), 1 history diverges, the
// purge cannot run (another process writes the checkpoints) or the subject is under legal hold, 2 usage.
var sqlite = new Option<FileInfo?>("--sqlite") { Description = "The SQLite database file of the log." };
var postgres = new Option<string?>("--postgres") { Description = "The PostgreSQL connection string of the log (a read-only role is enough)." };
var schema = new Option<string>("--schema") { Description = "The PostgreSQL schema of the log.", DefaultValueFactory = _ => "auditgen" };
var checkpoints = new Option<DirectoryInfo?>("--checkpoints") { Description = "The checkpoint directory; by default the one beside the database (<file>.checkpoints)." };
var keys = new Option<FileInfo[]>("--key")
{
    Description = "A trusted public key file (repeatable); by default <file>.checkpoint-key.public.json beside the database.",
    Arity = ArgumentArity.ZeroOrMore,
};

var witnessUrls = new Option<string[]>("--witness-url")
{
    Description = "A witness to ask for its latest view of the log (repeatable, paired in order with --witness-key).",
    Arity = ArgumentArity.ZeroOrMore,
};
var witnessKeys = new Option<string[]>("--witness-key")
{
    Description = "A trusted witness's key, as it printed it (vkey: name+keyid+base64); repeatable, paired with --witness-url.",
    Arity = ArgumentArity.ZeroOrMore,
};
var quorum = new Option<int?>("--quorum") { Description = "How many trusted witnesses must have cosigned the newest checkpoint (1 unless set, with witnesses)." };
var verify = new Command("verify", "Checks the log against its signed checkpoints and witnesses: exit 0 when intact, 1 with the first sequence where history diverges.")
{
    sqlite, postgres, schema, checkpoints, keys, witnessUrls, witnessKeys, quorum,
};
void OneLog(System.CommandLine.Parsing.CommandResult result)
{
    if ((result.GetResult(sqlite) is null) == (result.GetResult(postgres) is null)) // given or not; their values are checked on their own
    {
        result.AddError("Give exactly one of --sqlite FILE or --postgres \"CONNECTION\".");
    }
}

verify.Validators.Add(OneLog);
verify.SetAction((parse, cancellationToken) => VerifyCommand.RunAsync(
    new VerifyCommand.Arguments(parse.GetValue(sqlite), parse.GetValue(postgres), parse.GetValue(schema)!, parse.GetValue(checkpoints), parse.GetValue(keys) ?? [])
    {
        WitnessUrls = parse.GetValue(witnessUrls) ?? [],
        WitnessKeys = parse.GetValue(witnessKeys) ?? [],
        Quorum = parse.GetValue(quorum),
    },
    cancellationToken));

var keepMonths = new Option<int>("--keep-months") { Description = "Months every record is kept (1 to 1200).", Required = true };
var keepByAction = new Option<string[]>("--keep")
{
    Description = "ACTION=MONTHS: months the records of an action are kept instead (repeatable), such as sign_in=3.",
    Arity = ArgumentArity.ZeroOrMore,
};
var actor = new Option<Guid>("--actor") { Description = "Who runs the purge (a GUID), recorded as its actor.", Required = true };
var signingKey = new Option<FileInfo?>("--signing-key")
{
    Description = "The checkpoint signing key (private) of a tamper-evident log; by default <file>.checkpoint-key.json beside the database.",
};
var maxRecords = new Option<int>("--max-records") { Description = "The most records one recorded purge removes row by row.", DefaultValueFactory = _ => 100_000 };
var purge = new Command("purge", "Removes the records the retention policy no longer keeps, never one under legal hold, and records each purge in the log.")
{
    sqlite, postgres, schema, keepMonths, keepByAction, actor, checkpoints, signingKey, maxRecords,
};
purge.Validators.Add(OneLog);
purge.SetAction((parse, cancellationToken) => PurgeCommand.RunAsync(
    new PurgeCommand.Arguments(parse.GetValue(sqlite), parse.GetValue(postgres), parse.GetValue(schema)!, parse.GetValue(keepMonths),
        parse.GetValue(keepByAction) ?? [], parse.GetValue(actor), parse.GetValue(checkpoints), parse.GetValue(signingKey), parse.GetValue(maxRecords)),
    cancellationToken));

var state = new Option<FileInfo>("--state") { Description = "The witness's SQLite state file (its key, trusted log keys, latest cosigned checkpoints); created when missing.", Required = true };
var urls = new Option<string>("--urls") { Description = "Where to listen, such as http://0.0.0.0:7380 (several separated by ';').", DefaultValueFactory = _ => "http://127.0.0.1:7380" };
var witnessName = new Option<string?>("--name") { Description = "The name of a new witness key, such as witness.example.com/w1 (default auditgen-witness/<machine>)." };
var logKeys = new Option<string[]>("--log-key")
{
    Description = "A log's checkpoint verifier key (origin+keyid+base64) to trust; repeatable; kept in the state file.",
    Arity = ArgumentArity.ZeroOrMore,
};
var witness = new Command("witness", "Runs a transparency-log witness (C2SP tlog-witness add-checkpoint, cosignature/v1): prints 'vkey: <key>' and serves until stopped.")
{
    state, urls, witnessName, logKeys,
};
witness.SetAction((parse, cancellationToken) => WitnessCommand.RunAsync(
    new WitnessCommand.Arguments(parse.GetValue(state)!, parse.GetValue(urls)!, parse.GetValue(witnessName), parse.GetValue(logKeys) ?? []),
    cancellationToken));

var subject = new Option<string>("--subject") { Description = "The data subject's id (a GUID) whose personal data is erased.", Required = true };
var reason = new Option<string>("--reason") { Description = "Why (a request's reference, 1-1000 characters); recorded in clear.", Required = true };
var eraseActor = new Option<Guid?>("--actor") { Description = "Who erases (a GUID), recorded as the erasure's actor; the tool's own id unless given." };
var erase = new Command("erase", "Erases a data subject's personal data: deletes their key and records the erasure in one transaction; the records stay and still verify.")
{
    sqlite, postgres, schema, subject, reason, eraseActor,
};
erase.Validators.Add(OneLog);
erase.SetAction((parse, cancellationToken) => EraseCommand.RunAsync(
    new EraseCommand.Arguments(parse.GetValue(sqlite), parse.GetValue(postgres), parse.GetValue(schema)!, parse.GetValue(subject)!, parse.GetValue(reason)!,
        parse.GetValue(eraseActor)),
    cancellationToken));

var kek = new Option<FileInfo?>("--kek") { Description = "The current key-encryption key file; by default <file>.kek.json beside the database." };
var newKek = new Option<FileInfo>("--new-kek") { Description = "The new key-encryption key file; created when missing.", Required = true };
var rotateKek = new Command("rotate-kek", "Re-wraps every data subject's key under a new key-encryption key; records are not touched.")
{
    sqlite, postgres, schema, kek, newKek,
};
rotateKek.Validators.Add(OneLog);
rotateKek.SetAction((parse, cancellationToken) => EraseCommand.RotateAsync(
    new EraseCommand.RotateArguments(parse.GetValue(sqlite), parse.GetValue(postgres), parse.GetValue(schema)!, parse.GetValue(kek), parse.GetValue(newKek)!),
    cancellationToken));

// A root named like the command people type (a RootCommand would take the assembly's name), with help and version.
var root = new Command("auditgen", "The AuditGen activity log's command-line tool.") { verify, purge, witness, erase, rotateKek };
root.Options.Add(new HelpOption());
root.Options.Add(new VersionOption());
ParseResult parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (System.CommandLine.Parsing.ParseError error in parsed.Errors)
    {
        await Console.Error.WriteLineAsync(error.Message);
    }

    return VerifyCommand.UsageError;
}

return await parsed.InvokeAsync();
