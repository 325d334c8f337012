using System.Net;
using System.Net.Http.Headers;
using ECommerce.IntegrationTests.Infrastructure;

namespace ECommerce.IntegrationTests.Dashboard;

/// <summary>Without the token of the run, the dashboard shows nothing and does nothing; the OTLP receiver wants its key.</summary>
[Collection(AppCollection.Name)]
public sealed class DashboardSecurityTests(AppFixture fixture)
{
    private CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Refuses_requests_without_the_token()
    {
        var anonymous = await fixture.App.CreateDashboardClientAsync(signedIn: false, Cancellation);
        var catalogBefore = fixture.App.GetResource("catalog-api");

        using var page = new HttpRequestMessage(HttpMethod.Get, "/resources");
        page.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        using var pageResponse = await anonymous.SendAsync(page, Cancellation);
        using var api = await anonymous.GetAsync("/api/resources", Cancellation);
        using var traces = await anonymous.GetAsync("/api/traces", Cancellation);
        using var stop = await anonymous.PostAsync("/resources/catalog-api/stop", new FormUrlEncodedContent([]), Cancellation);
        using var wrongLink = await anonymous.GetAsync("/login?t=not-the-token", Cancellation);

        Assert.Equal(HttpStatusCode.Redirect, pageResponse.StatusCode);
        Assert.StartsWith("/login", pageResponse.Headers.Location?.ToString());
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, traces.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, stop.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongLink.StatusCode);
        Assert.False(wrongLink.Headers.Contains("Set-Cookie"));
        await Task.Delay(500, Cancellation);
        Assert.Equal(catalogBefore.Pid, fixture.App.GetResource("catalog-api").Pid);
    }

    [Fact]
    public async Task Accepts_the_token_as_a_bearer_header_for_tools()
    {
        var anonymous = await fixture.App.CreateDashboardClientAsync(signedIn: false, Cancellation);

        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/api/resources") { Headers = { Authorization = new("Bearer", "wrong") } };
        using var right = new HttpRequestMessage(HttpMethod.Get, "/api/resources") { Headers = { Authorization = new("Bearer", fixture.App.Dashboard.Token) } };

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(wrong, Cancellation)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.SendAsync(right, Cancellation)).StatusCode);
    }

    [Fact]
    public async Task Refuses_an_action_posted_from_another_site()
    {
        var dashboard = await fixture.App.CreateDashboardClientAsync(cancellationToken: Cancellation);
        var before = fixture.App.GetResource("forecast-worker");

        using var request = new HttpRequestMessage(HttpMethod.Post, "/resources/forecast-worker/stop") { Content = new FormUrlEncodedContent([]) };
        request.Headers.Add("Origin", "http://evil.example");
        request.Headers.Add("Sec-Fetch-Site", "cross-site");
        using var response = await dashboard.SendAsync(request, Cancellation);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        await Task.Delay(500, Cancellation);
        Assert.Equal(before.Pid, fixture.App.GetResource("forecast-worker").Pid);
    }

    [Fact]
    public async Task Answers_only_to_loopback_host_names()
    {
        var dashboard = await fixture.App.CreateDashboardClientAsync(cancellationToken: Cancellation);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/resources");
        request.Headers.Host = "attacker.example";
        using var response = await dashboard.SendAsync(request, Cancellation);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task The_otlp_receiver_wants_its_api_key_and_keeps_to_its_own_port()
    {
        using var otlp = new HttpClient { BaseAddress = new Uri(fixture.App.Dashboard.OtlpEndpoint) };
        var dashboard = await fixture.App.CreateDashboardClientAsync(cancellationToken: Cancellation);
        var empty = new ByteArrayContent([]) { Headers = { ContentType = new MediaTypeHeaderValue("application/x-protobuf") } };

        using var withoutKey = await otlp.PostAsync("/v1/traces", empty, Cancellation);
        using var pageOnOtlpPort = await otlp.GetAsync("/resources", Cancellation);
        using var otlpOnDashboardPort = await dashboard.PostAsync("/v1/traces", empty, Cancellation);

        Assert.Equal(HttpStatusCode.Unauthorized, withoutKey.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, pageOnOtlpPort.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, otlpOnDashboardPort.StatusCode);
    }
}
