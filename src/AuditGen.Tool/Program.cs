using System.CommandLine;
using System.CommandLine.Help;
using AuditGen.Tool;

// auditgen: the AuditGen command-line tool. Exit codes: 0 verified, 1 history diverges (or cannot be vouched for), 2 usage.
var sqlite = new Option<FileInfo?>("--sqlite") { Description = "The SQLite database file of the log." };
var postgres = new Option<string?>("--postgres") { Description = "The PostgreSQL connection string of the log (a read-only role is enough)." };
var schema = new Option<string>("--schema") { Description = "The PostgreSQL schema of the log.", DefaultValueFactory = _ => "auditgen" };
var checkpoints = new Option<DirectoryInfo?>("--checkpoints") { Description = "The checkpoint directory; by default the one beside the database (<file>.checkpoints)." };
var keys = new Option<FileInfo[]>("--key")
{
    Description = "A trusted public key file (repeatable); by default <file>.checkpoint-key.public.json beside the database.",
    Arity = ArgumentArity.ZeroOrMore,
};

var verify = new Command("verify", "Checks the log against its signed checkpoints: exit 0 when intact, 1 with the first sequence where history diverges.")
{
    sqlite, postgres, schema, checkpoints, keys,
};
verify.Validators.Add(result =>
{
    if ((result.GetResult(sqlite) is null) == (result.GetResult(postgres) is null)) // given or not; their values are checked on their own
    {
        result.AddError("Give exactly one of --sqlite FILE or --postgres \"CONNECTION\".");
    }
});
verify.SetAction((parse, cancellationToken) => VerifyCommand.RunAsync(
    new VerifyCommand.Arguments(parse.GetValue(sqlite), parse.GetValue(postgres), parse.GetValue(schema)!, parse.GetValue(checkpoints), parse.GetValue(keys) ?? []),
    cancellationToken));

// A root named like the command people type (a RootCommand would take the assembly's name), with help and version.
var root = new Command("auditgen", "The AuditGen activity log's command-line tool.") { verify };
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
