#!/usr/bin/env bash
# Measures the AuditGen analyzers' and generator's share of a build of a synthetic project of N use cases:
#   ./eng/measure-analyzers.sh [N]              (default 1000)
# or of N features of an ASP.NET Core app, each with four entry points (a Map* lambda that writes, a Map* method group
# that reads, a controller action that writes, one that reads: 4N entry points, one feature in five unexcused):
#   ./eng/measure-analyzers.sh [N] endpoints
# Builds with -p:ReportAnalyzer=true and prints the compiler's analyzer/generator timings and the build time.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
n="${1:-1000}"
mode="${2:-use-cases}"
dir="$(mktemp -d /tmp/auditgen-synthetic.XXXXXX)"
trap 'rm -rf "$dir"' EXIT

sdk="Microsoft.NET.Sdk" endpoints=0 use_cases="$n"
if [[ "$mode" == endpoints ]]; then sdk="Microsoft.NET.Sdk.Web" endpoints="$n" use_cases=0; fi
cat > "$dir/Synthetic.csproj" <<XML
<Project Sdk="$sdk">
  <PropertyGroup>
    <OutputType>Library</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <TreatWarningsAsErrors>false</TreatWarningsAsErrors>
    <NoWarn>\$(NoWarn);CS1591</NoWarn>
  </PropertyGroup>
  <Import Project="$repo/eng/UseAuditGenFromSource.props" />
</Project>
XML
cat > "$dir/Shared.cs" <<'CS'
namespace Synthetic;
public sealed record Item(Guid Id, Guid OwnerId, string Name);
public interface IItemRepository { Task AddAsync(Item item); Task DeleteAsync(Guid id); Task<Item?> GetAsync(Guid id); }
CS
for ((i = 0; i < endpoints; i++)); do
  if (( i % 5 == 4 )); then excuse=''; else excuse="[NotLogged(\"synthetic $i\")]"; fi
  cat > "$dir/Feature$i.cs" <<CS
using AuditGen;
using Microsoft.AspNetCore.Mvc;

namespace Synthetic.Feature$i;

public static class Items${i}Endpoints
{
    public static void MapItems$i(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/items$i");
        group.MapPost("/", $excuse async (Item item, IItemRepository repo) => { await repo.AddAsync(item); return Results.Created(\$"/items$i/{item.Id}", item); });
        group.MapGet("/{id}", Find);
    }

    public static Task<Item?> Find(Guid id, IItemRepository repo) => repo.GetAsync(id);
}

[ApiController]
[Route("api/items$i")]
public sealed class Items${i}Controller(IItemRepository repo) : ControllerBase
{
    [HttpPost]
    $excuse
    public async Task<IActionResult> Create(Item item) { await repo.AddAsync(item); return Ok(item); }

    [HttpGet("{id}")]
    public async Task<IActionResult> Get(Guid id) => await repo.GetAsync(id) is { } item ? Ok(item) : NotFound();
}
CS
done
for ((i = 0; i < use_cases; i++)); do
  if (( i % 5 == 4 )); then attribute=''; else attribute="[LogsActivity(\"create_item_$i\", EntityType = \"Item\")]"; fi
  cat > "$dir/Feature$i.cs" <<CS
using AuditGen;

namespace Synthetic.Feature$i;

public interface ICreateItem$i
{
    Task<Item> ExecuteAsync(Guid actorId, string name, CancellationToken cancellationToken);
}

public sealed partial class CreateItem${i}UseCase(IItemRepository repo, IActivityLogRepo log) : ICreateItem$i
{
    $attribute
    public async Task<Item> ExecuteAsync(Guid actorId, [ActivityMetadata] string name, CancellationToken cancellationToken)
    {
        var item = new Item(Guid.NewGuid(), actorId, name);
        await Save(item);
        return item;
    }

    private Task Save(Item item) => repo.AddAsync(item);

    public Task<Item?> FindAsync(Guid id) => repo.GetAsync(id);
}
CS
done

cd "$dir"
dotnet build -nologo -v:q > /dev/null                        # restore, build the references and warm up
dotnet build -nologo --no-restore --no-incremental -p:BuildProjectReferences=false \
  -p:ReportAnalyzer=true -v:d -clp:PerformanceSummary > build.log
grep -E '^\s*[0-9.]+\s+[0-9<]+\s+AuditGen\.|Total (analyzer|generator) execution time|^\s*[0-9]+ ms\s+Csc\s|Time Elapsed' build.log \
  | sed 's/^[[:space:]]*//' | awk '!seen[$0]++'
echo "AUD1001 warnings (each unlogged use case or entry point once): $(grep -o 'Feature[0-9]*.cs([0-9,]*): warning AUD1001' build.log | sort -u | wc -l)"
