using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ECommerce.IntegrationTests.Infrastructure;

namespace ECommerce.IntegrationTests.Identity;

/// <summary>Malformed requests are the caller's mistake: a 400 with problem details, never the request echoed back.</summary>
[Collection(AppCollection.Name)]
public sealed class BadRequestTests(AppFixture fixture)
{
    private readonly IdentityClient _client = new(fixture.App);

    [Fact]
    public async Task Malformed_json_gets_a_400_problem_that_does_not_echo_the_bearer_token()
    {
        var (_, _, tokens) = await _client.NewCustomerAsync();
        var http = fixture.App.CreateHttpClient("ordering-api");
        using var request = new HttpRequestMessage(HttpMethod.Put, "/api/identity/profile")
        {
            Content = new StringContent("{\"name\": \"Sam", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain(tokens.AccessToken, body);
        Assert.DoesNotContain("Authorization", body);
    }
}
