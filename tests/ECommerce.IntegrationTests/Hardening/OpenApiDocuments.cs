using System.Text.Json;
using ECommerce.Testing;

namespace ECommerce.IntegrationTests.Hardening;

/// <summary>The OpenAPI documents of the four API services, as an anonymous caller reads them.</summary>
public static class OpenApiDocuments
{
    public const string Path = "/openapi/v1.json";

    public static readonly string[] Services = ["catalog-api", "ordering-api", "forecast-worker", "assistant-api"];

    public static async Task<Dictionary<string, string>> ReadAllAsync(TestApp app)
    {
        var documents = new Dictionary<string, string>();
        foreach (var service in Services)
        {
            using var response = await app.CreateHttpClient(service).GetAsync(Path, TestContext.Current.CancellationToken);
            response.EnsureSuccessStatusCode();
            documents[service] = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        }
        return documents;
    }

    /// <summary>Every operation of a document: its path template, method and the operation object.</summary>
    public static IEnumerable<(string Path, string Method, JsonElement Operation)> Operations(JsonElement document)
    {
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var method in path.Value.EnumerateObject().Where(m => m.Name is "get" or "post" or "put" or "delete" or "patch"))
            {
                yield return (path.Name, method.Name, method.Value);
            }
        }
    }
}
