namespace AuditGen.Package.Tests;

/// <summary>
/// The test classes that run the dotnet CLI on the repository's own projects (packing them, publishing an app that
/// references them): one collection, so they never run at once — two restores of the same project race on its
/// obj/project.assets.json ("already exists").
/// </summary>
[CollectionDefinition(Name)]
public sealed class RepositoryBuilds
{
    public const string Name = "dotnet CLI on the repository's projects";
}
