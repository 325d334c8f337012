using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ECommerce.IntegrationTests.Identity;
using ECommerce.IntegrationTests.Infrastructure;
using Npgsql;

namespace ECommerce.IntegrationTests.Forecast;

/// <summary>Runs are done once, by one instance at a time, and a run cut off by a restart is finished before anyone sees it.</summary>
[Collection(AppCollection.Name)]
public sealed class ForecastRunTests(AppFixture fixture)
{
    private readonly ForecastClient _forecasts = new(fixture.App);

    [Fact]
    public async Task Two_instances_asked_for_runs_at_once_do_one_run_and_do_it_once()
    {
        await _forecasts.RunAndWaitAsync(TimeSpan.FromMinutes(4)); // nothing left under way from earlier tests
        await using var second = await SecondInstance.StartAsync(fixture.App, ForecastClient.Service);
        var token = await _forecasts.AdminTokenAsync();

        async Task<long> AskAsync(HttpClient client)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/forecasts/runs");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
            await IdentityClient.ExpectAsync(HttpStatusCode.Accepted, response);
            return (await IdentityClient.ReadJsonAsync(response)).GetProperty("id").GetInt64();
        }

        var first = fixture.App.CreateHttpClient(ForecastClient.Service);
        var ids = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => AskAsync(i % 2 == 0 ? first : second.Client)));

        // Asked together, they share a run (a run finishing in between could let a later ask queue a second one).
        var distinct = ids.Distinct().Order().ToList();
        Assert.True(distinct.Count <= 2, $"runs asked for at once: {string.Join(", ", distinct)}");

        // Both instances were woken; each run was done by one of them, in one attempt, never two at the same time.
        var runs = new List<JsonElement>();
        foreach (var id in distinct)
        {
            var run = await Eventually.ReturnsAsync(
                () => _forecasts.AdminGetAsync($"/api/forecasts/runs/{id}"),
                r => r.GetProperty("status").GetString() is "complete" or "failed",
                TimeSpan.FromMinutes(4), $"run {id} to finish");
            Assert.Equal("complete", run.GetProperty("status").GetString());
            Assert.Equal(1, run.GetProperty("attempts").GetInt32());
            runs.Add(run);
        }
        for (var i = 1; i < runs.Count; i++)
        {
            Assert.True(runs[i].GetProperty("startedAt").GetDateTimeOffset() >= runs[i - 1].GetProperty("completedAt").GetDateTimeOffset());
        }
        var latest = await _forecasts.AdminGetAsync("/api/forecasts/runs/latest");
        Assert.Equal(distinct[^1], latest.GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task A_run_cut_off_by_a_restart_is_resumed_from_what_it_wrote_and_shown_only_when_complete()
    {
        var previous = await _forecasts.RunAndWaitAsync(TimeSpan.FromMinutes(4));
        var forecastStart = previous.GetProperty("forecastStart").GetString()!;
        var variantId = (await _forecasts.AdminGetAsync("/api/stock/levels?pageSize=1", "catalog-api"))
            .GetProperty("items")[0].GetProperty("variantId").GetInt32();

        // The worker stops in the middle of a run: the run is marked running and one batch (one variant) is written.
        await fixture.App.StopResourceAsync(ForecastClient.Service);
        long runId;
        await using (var db = new NpgsqlConnection(fixture.App.GetConnectionString("forecastdb")))
        {
            await db.OpenAsync(TestContext.Current.CancellationToken);
            await using var command = new NpgsqlCommand("""
                WITH run AS (
                    INSERT INTO forecast_runs (status, trigger, requested_at, started_at, forecast_start, horizon, attempts)
                    VALUES ('running', 'manual', now(), now(), $1::date, 90, 1) RETURNING id
                ), header AS (
                    INSERT INTO forecast_variants (run_id, variant_id, product_id, model, best_model, flags, history_days, fit_ms)
                    SELECT id, $2, 0, 'written-before-the-restart', 'written-before-the-restart', 0, 0, 0 FROM run
                )
                INSERT INTO forecast_points (run_id, variant_id, day, mean, lower80, upper80, lower95, upper95)
                SELECT run.id, $2, $1::date + h, 1, 0, 2, 0, 3 FROM run, generate_series(0, 89) AS h
                RETURNING run_id
                """, db);
            command.Parameters.Add(new NpgsqlParameter { Value = forecastStart });
            command.Parameters.Add(new NpgsqlParameter { Value = variantId });
            runId = (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
        }

        // Restarted, it finishes that run (keeping the batch) before anything else; until then readers see the previous run.
        await fixture.App.StartResourceAsync(ForecastClient.Service);
        await fixture.App.WaitForStateAsync(ForecastClient.Service, ResourceState.Healthy, TimeSpan.FromMinutes(2));
        var resumed = await Eventually.ReturnsAsync(
            () => _forecasts.AdminGetAsync("/api/forecasts/runs/latest"),
            r =>
            {
                Assert.Equal("complete", r.GetProperty("status").GetString());
                return r.GetProperty("id").GetInt64() == runId;
            },
            TimeSpan.FromMinutes(4), $"the interrupted run {runId} to complete");
        Assert.Equal(2, resumed.GetProperty("attempts").GetInt32());
        Assert.Equal(previous.GetProperty("variants").GetInt32(), resumed.GetProperty("variants").GetInt32());
        Assert.Equal(forecastStart, resumed.GetProperty("forecastStart").GetString());

        var kept = await _forecasts.AdminGetAsync($"/api/forecasts/variants/{variantId}");
        Assert.Equal("written-before-the-restart", kept.GetProperty("model").GetString());
        Assert.Equal(runId, kept.GetProperty("runId").GetInt64());
    }

    [Fact]
    public async Task With_the_catalog_down_forecasts_are_still_served_and_stock_answers_are_503_not_500()
    {
        await _forecasts.RunAndWaitAsync(TimeSpan.FromMinutes(4));
        var variantId = (await _forecasts.AdminGetAsync("/api/stock/levels?pageSize=1", "catalog-api"))
            .GetProperty("items")[0].GetProperty("variantId").GetInt32();
        var token = await _forecasts.AdminTokenAsync();

        await fixture.App.StopResourceAsync("catalog-api");
        try
        {
            using (var forecast = await _forecasts.SendAsync(HttpMethod.Get, $"/api/forecasts/variants/{variantId}", token))
            {
                Assert.Equal(HttpStatusCode.OK, forecast.StatusCode);
            }
            using (var estimate = await _forecasts.SendAsync(HttpMethod.Get, $"/api/forecasts/variants/{variantId}/restock-estimate"))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, estimate.StatusCode);
                Assert.Equal("application/problem+json", estimate.Content.Headers.ContentType?.MediaType);
            }
            using (var suggestions = await _forecasts.SendAsync(HttpMethod.Get, "/api/forecasts/reorder-suggestions", token))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, suggestions.StatusCode);
            }
        }
        finally
        {
            await fixture.App.StartResourceAsync("catalog-api");
            await fixture.App.WaitForStateAsync("catalog-api", ResourceState.Healthy, TimeSpan.FromMinutes(2));
        }
        using var back = await _forecasts.SendAsync(HttpMethod.Get, $"/api/forecasts/variants/{variantId}/restock-estimate");
        Assert.Equal(HttpStatusCode.OK, back.StatusCode);
    }
}
