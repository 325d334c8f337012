using System.Diagnostics;
using System.Text.Json;
using ECommerce.IntegrationTests.Infrastructure;

namespace ECommerce.IntegrationTests.Hardening;

/// <summary>Every API service describes itself: anonymous OpenAPI documents that say who may call what and how it fails, lint-clean.</summary>
[Collection(HardeningCollection.Name)]
public sealed class OpenApiTests(AppFixture fixture)
{
    [Fact]
    public async Task Every_api_serves_a_document_that_describes_each_operation_its_callers_and_its_errors()
    {
        var documents = await OpenApiDocuments.ReadAllAsync(fixture.App);

        foreach (var (service, text) in documents)
        {
            using var json = JsonDocument.Parse(text);
            var document = json.RootElement;
            Assert.StartsWith("3.", document.GetProperty("openapi").GetString());
            var bearer = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
            Assert.Equal(("http", "bearer"), (bearer.GetProperty("type").GetString(), bearer.GetProperty("scheme").GetString()));
            var operations = OpenApiDocuments.Operations(document).ToList();
            Assert.True(operations.Count > 0, $"{service} describes no operation");
            foreach (var (path, method, operation) in operations)
            {
                var name = $"{service} {method.ToUpperInvariant()} {path}";
                Assert.True(operation.TryGetProperty("operationId", out _), $"{name} has no operationId");
                Assert.True(operation.TryGetProperty("summary", out _), $"{name} has no summary");
                var responses = operation.GetProperty("responses");
                Assert.True(responses.EnumerateObject().Any(r => r.Name.StartsWith('2')), $"{name} has no success response");
                Assert.True(responses.TryGetProperty("503", out var unavailable) && unavailable.GetProperty("headers").TryGetProperty("Retry-After", out _),
                    $"{name} does not describe its 503 with Retry-After");
                var security = operation.TryGetProperty("security", out var s) ? s.GetArrayLength() : 0;
                if (security > 0)
                {
                    Assert.True(responses.TryGetProperty("401", out _) && responses.TryGetProperty("403", out _), $"{name} needs a token but describes no 401/403");
                }
            }
        }
        // Who may call what, spot-checked against the endpoints' rules: anyone lists products, only admins create them.
        using var catalog = JsonDocument.Parse(documents["catalog-api"]);
        var productOps = catalog.RootElement.GetProperty("paths").GetProperty("/api/catalog/products");
        Assert.Equal(0, productOps.GetProperty("get").GetProperty("security").GetArrayLength());
        Assert.Equal(1, productOps.GetProperty("post").GetProperty("security").GetArrayLength());
    }

    [Fact]
    public async Task Every_document_passes_the_openapi_linter()
    {
        var documents = await OpenApiDocuments.ReadAllAsync(fixture.App);
        var folder = Directory.CreateTempSubdirectory("openapi-lint-");
        try
        {
            var files = new List<string>();
            foreach (var (service, text) in documents)
            {
                var file = Path.Combine(folder.FullName, $"{service}.json");
                await File.WriteAllTextAsync(file, text, TestContext.Current.CancellationToken);
                files.Add(file);
            }
            var (exitCode, output) = await RunLinterAsync(files);
            TestContext.Current.TestOutputHelper?.WriteLine(output);
            Assert.True(exitCode == 0, $"redocly lint found errors:\n{output}");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>@redocly/cli as scripts/install-prerequisites.sh --browser installs it (into .tools/), with its recommended rules.</summary>
    private static async Task<(int ExitCode, string Output)> RunLinterAsync(IEnumerable<string> files)
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "ECommerce.sln")))
        {
            root = root.Parent;
        }
        var redocly = Path.Combine(root?.FullName ?? ".", ".tools", "node_modules", ".bin", "redocly");
        Assert.True(File.Exists(redocly), $"{redocly} is missing: run scripts/install-prerequisites.sh --browser (./test.sh does)");
        var start = new ProcessStartInfo(redocly) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("lint");
        start.ArgumentList.Add("--format=stylish");
        foreach (var file in files)
        {
            start.ArgumentList.Add(file);
        }
        start.Environment["REDOCLY_TELEMETRY"] = "off";
        start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await stdout + await stderr);
    }
}
