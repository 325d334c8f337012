using System.Net;
using System.Text.Json;
using ECommerce.IntegrationTests.Identity;
using ECommerce.IntegrationTests.Infrastructure;
using ECommerce.Testing;

namespace ECommerce.IntegrationTests.Forecast;

/// <summary>Calls forecast-worker (and the sales and stock it reads) as an admin, a customer or anonymously.</summary>
public sealed class ForecastClient(TestApp app)
{
    public const string Service = "forecast-worker";

    private readonly IdentityClient _identity = new(app);
    private string? _adminToken;
    private string? _customerToken;

    public async Task<string> AdminTokenAsync() => _adminToken ??= (await _identity.LoginAsAdminAsync()).AccessToken;

    public async Task<string> CustomerTokenAsync() => _customerToken ??= (await _identity.NewCustomerAsync()).Tokens.AccessToken;

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token = null, string service = Service) =>
        _identity.SendAsync(service, method, path, token);

    /// <summary>GET as the admin; fails the test unless 200.</summary>
    public async Task<JsonElement> AdminGetAsync(string path, string service = Service)
    {
        using var response = await SendAsync(HttpMethod.Get, path, await AdminTokenAsync(), service);
        await IdentityClient.ExpectAsync(HttpStatusCode.OK, response);
        return await IdentityClient.ReadJsonAsync(response);
    }

    /// <summary>
    /// Waits until ordering-api reports sales for the last four weeks: it writes its demo history in the background
    /// after its first start.
    /// </summary>
    public async Task WaitForSalesHistoryAsync(TimeSpan timeout)
    {
        var yesterday = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1);
        var path = $"/api/sales/daily?from={yesterday.AddDays(-27):yyyy-MM-dd}&to={yesterday:yyyy-MM-dd}";
        await Eventually.ReturnsAsync(
            () => AdminGetAsync(path, "ordering-api"),
            sales => sales.GetProperty("variants").GetArrayLength() > 0,
            timeout, "ordering-api's demo sales history");
    }

    /// <summary>
    /// Asks for a run that starts after this call and waits until it is the latest complete run. Every look at
    /// runs/latest on the way must show a complete run: a run in progress is never visible there.
    /// </summary>
    public async Task<JsonElement> RunAndWaitAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            using var post = await SendAsync(HttpMethod.Post, "/api/forecasts/runs", await AdminTokenAsync());
            await IdentityClient.ExpectAsync(HttpStatusCode.Accepted, post);
            var accepted = await IdentityClient.ReadJsonAsync(post);
            var id = accepted.GetProperty("id").GetInt64();
            Assert.EndsWith($"/api/forecasts/runs/{id}", post.Headers.Location?.ToString());
            var run = await WaitForRunAsync(id, deadline);
            // A run that was already under way when we asked may have missed what the test set up: ask again.
            if (accepted.GetProperty("status").GetString() == "queued")
            {
                return run;
            }
        }
    }

    private async Task<JsonElement> WaitForRunAsync(long id, DateTime deadline)
    {
        while (true)
        {
            var run = await AdminGetAsync($"/api/forecasts/runs/{id}");
            var status = run.GetProperty("status").GetString();
            Assert.True(status != "failed", $"Forecast run {id} failed: {run}");

            using var latest = await SendAsync(HttpMethod.Get, "/api/forecasts/runs/latest", await AdminTokenAsync());
            if (latest.StatusCode == HttpStatusCode.OK)
            {
                var shown = await IdentityClient.ReadJsonAsync(latest);
                Assert.Equal("complete", shown.GetProperty("status").GetString());
                if (shown.GetProperty("id").GetInt64() == id)
                {
                    return shown;
                }
            }
            else
            {
                Assert.Equal(HttpStatusCode.NotFound, latest.StatusCode);
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Forecast run {id} did not complete in time; last seen: {run}");
            }
            await Task.Delay(500, TestContext.Current.CancellationToken);
        }
    }
}
