using BenchmarkDotNet.Running;

// dotnet run -c Release --project tests/AuditGen.Generators.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
