using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using ECommerce.IntegrationTests.Identity;
using ECommerce.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using static ECommerce.IntegrationTests.Assistant.AssistantClient;

namespace ECommerce.IntegrationTests.Assistant;

/// <summary>
/// A test double of a remote model: an OpenAI-compatible /v1/chat/completions that answers with scripted tool calls
/// (chosen by the last user message), streaming when asked. It records every request it gets.
/// </summary>
internal sealed class FakeOpenAiServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeOpenAiServer(WebApplication app) => _app = app;

    public ConcurrentQueue<JsonObject> Requests { get; } = new();

    public string Endpoint => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/v1";

    public static async Task<FakeOpenAiServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new FakeOpenAiServer(app);
        app.MapPost("/v1/chat/completions", server.CompleteAsync);
        await app.StartAsync();
        return server;
    }

    private async Task CompleteAsync(HttpContext context)
    {
        var request = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
        Requests.Enqueue(request);
        var messages = request["messages"]!.AsArray();
        var user = messages.Last(m => m!["role"]!.GetValue<string>() == "user")!["content"]!.ToString();
        var toolResults = messages.Count(m => m!["role"]!.GetValue<string>() == "tool");
        (string Name, string Args)[] calls = user switch
        {
            _ when user.Contains("script:parallel") && toolResults == 0 => [("search_products", """{"query":"tent"}"""), ("get_store_policy", """{"topic":"returns"}""")],
            _ when user.Contains("script:loop") => [("get_store_policy", """{"topic":"shipping"}""")],
            _ when user.Contains("script:admin") && toolResults == 0 => [("get_reorder_suggestions", "{}"), ("add_to_cart", """{"variantId":1,"quantity":1}""")],
            _ when user.Contains("script:bad") && toolResults == 0 => [("get_product_details", """{"productId":"not a number"}""")],
            _ => [],
        };
        // A model calls the tools by the names it was offered ("Catalog_search_products"); one it was not offered keeps
        // the plain name, so the assistant must refuse it.
        calls = [.. calls.Select(c => (Offered(request, c.Name), c.Args))];
        if (user.Contains("script:reject"))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsJsonAsync(new { error = new { message = "model refuses", type = "invalid_request_error" } });
            return;
        }
        var text = calls.Length > 0 ? null : $"Scripted answer after {toolResults} tool results.";
        if (request["stream"]?.GetValue<bool>() == true)
        {
            context.Response.ContentType = "text/event-stream";
            for (var i = 0; i < calls.Length; i++)
            {
                await Chunk(context, new JsonObject { ["tool_calls"] = new JsonArray(new JsonObject { ["index"] = i, ["id"] = $"call_{i}", ["type"] = "function", ["function"] = new JsonObject { ["name"] = calls[i].Name, ["arguments"] = "" } }) }, null);
                // Arguments in two fragments, as real servers send them.
                var half = calls[i].Args.Length / 2;
                foreach (var fragment in new[] { calls[i].Args[..half], calls[i].Args[half..] })
                {
                    await Chunk(context, new JsonObject { ["tool_calls"] = new JsonArray(new JsonObject { ["index"] = i, ["function"] = new JsonObject { ["arguments"] = fragment } }) }, null);
                }
            }
            foreach (var word in (text ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                await Chunk(context, new JsonObject { ["content"] = word + " " }, null);
            }
            await Chunk(context, new JsonObject(), calls.Length > 0 ? "tool_calls" : "stop");
            await context.Response.WriteAsync("data: [DONE]\n\n");
            return;
        }
        var message = new JsonObject { ["role"] = "assistant", ["content"] = text };
        if (calls.Length > 0)
        {
            message["tool_calls"] = new JsonArray([.. calls.Select((c, i) => (JsonNode)new JsonObject
            {
                ["id"] = $"call_{i}", ["type"] = "function", ["function"] = new JsonObject { ["name"] = c.Name, ["arguments"] = c.Args },
            })]);
        }
        await context.Response.WriteAsJsonAsync(new JsonObject
        {
            ["id"] = "chatcmpl-1", ["object"] = "chat.completion", ["created"] = 1, ["model"] = "fake",
            ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["message"] = message, ["finish_reason"] = calls.Length > 0 ? "tool_calls" : "stop" }),
            ["usage"] = new JsonObject { ["prompt_tokens"] = 1, ["completion_tokens"] = 1, ["total_tokens"] = 2 },
        });
    }

    private static string Offered(JsonObject request, string name) =>
        (request["tools"] as JsonArray ?? []).Select(t => t!["function"]!["name"]!.GetValue<string>())
            .FirstOrDefault(n => n.EndsWith("_" + name, StringComparison.Ordinal)) ?? name;

    private static async Task Chunk(HttpContext context, JsonObject delta, string? finish)
    {
        var chunk = new JsonObject
        {
            ["id"] = "chatcmpl-1", ["object"] = "chat.completion.chunk", ["created"] = 1, ["model"] = "fake",
            ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = finish }),
        };
        await context.Response.WriteAsync($"data: {chunk.ToJsonString()}\n\n");
        await context.Response.Body.FlushAsync();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

/// <summary>The openai engine: a second assistant-api pointed at <see cref="FakeOpenAiServer"/>; its tools hit the real app.</summary>
[Collection(AppCollection.Name)]
public sealed class OpenAiEngineTests(AppFixture fixture)
{
    private readonly AssistantClient _assistant = new(fixture.App);

    private async Task<(FakeOpenAiServer Model, SecondInstance Assistant)> StartAsync()
    {
        var model = await FakeOpenAiServer.StartAsync();
        var instance = await SecondInstance.StartAsync(fixture.App, Service, new Dictionary<string, string>
        {
            ["ConnectionStrings__chat"] = $"Endpoint={model.Endpoint};Key=test-key;Model=fake",
        });
        return (model, instance);
    }

    [Fact]
    public async Task Runs_parallel_tool_calls_against_the_real_services_and_feeds_the_results_back()
    {
        var (model, instance) = await StartAsync();
        await using var _ = model;
        await using var __ = instance;

        var answer = await _assistant.SayAsync("script:parallel", client: instance.Client);

        Assert.Equal(["search_products", "get_store_policy"], Calls(answer).Select(c => c.GetProperty("name").GetString()));
        Assert.All(Calls(answer), c => Assert.True(c.GetProperty("succeeded").GetBoolean()));
        Assert.Equal("Scripted answer after 2 tool results.", Reply(answer));
        // The second request carried the real catalog's tents and the shop's returns policy back to the model.
        var second = model.Requests.ElementAt(1)["messages"]!.AsArray().Where(m => m!["role"]!.GetValue<string>() == "tool").Select(m => m!["content"]!.ToString()).ToList();
        Assert.Contains(second, c => c.Contains("Tent", StringComparison.Ordinal) && c.Contains("products", StringComparison.Ordinal));
        Assert.Contains(second, c => c.Contains("30 days", StringComparison.Ordinal));
        Assert.NotEmpty(model.Requests.First()["tools"]!.AsArray());
    }

    [Fact]
    public async Task Stops_at_the_round_limit_and_feeds_errors_back()
    {
        var (model, instance) = await StartAsync();
        await using var _ = model;
        await using var __ = instance;

        var looping = await _assistant.SayAsync("script:loop", client: instance.Client);
        Assert.Equal(5, Calls(looping).Count);
        Assert.Contains("could not finish", Reply(looping));

        var bad = await _assistant.SayAsync("script:bad", client: instance.Client);
        Assert.False(Call(bad, "get_product_details").GetProperty("succeeded").GetBoolean());
        Assert.Contains(model.Requests.Last()["messages"]!.AsArray(), m => m!["role"]!.GetValue<string>() == "tool" && m["content"]!.ToString().Contains("error", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_model_that_refuses_the_request_gets_an_apology_not_a_500()
    {
        var (model, instance) = await StartAsync();
        await using var _ = model;
        await using var __ = instance;

        var answer = await _assistant.SayAsync("script:reject", client: instance.Client);

        Assert.Empty(Calls(answer));
        Assert.Contains("not answering", Reply(answer));
    }

    [Fact]
    public async Task Acts_with_the_callers_rights_only()
    {
        var (model, instance) = await StartAsync();
        await using var _ = model;
        await using var __ = instance;
        var (_, _, customer) = await _assistant.Identity.NewCustomerAsync();

        // The model asks for an admin tool and a cart action: a customer gets neither admin data nor more rights.
        var asCustomer = await _assistant.SayAsync("script:admin", customer.AccessToken, client: instance.Client);
        Assert.False(Call(asCustomer, "get_reorder_suggestions").GetProperty("succeeded").GetBoolean());
        var offered = model.Requests.First()["tools"]!.AsArray().Select(t => t!["function"]!["name"]!.GetValue<string>()).ToList();
        Assert.DoesNotContain(offered, n => n.EndsWith("get_reorder_suggestions", StringComparison.Ordinal));
        Assert.Contains("CartAndOrders_add_to_cart", offered);

        var anonymous = await _assistant.SayAsync("script:admin", client: instance.Client);
        Assert.False(Call(anonymous, "add_to_cart").GetProperty("succeeded").GetBoolean());
    }

    [Fact]
    public async Task Streams_tool_events_and_the_models_text()
    {
        var (model, instance) = await StartAsync();
        await using var _ = model;
        await using var __ = instance;

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/assistant/chat") { Content = JsonContent.Create(new { message = "script:parallel" }) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await instance.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Cancellation);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = AssistantTests.Parse(await response.Content.ReadAsStringAsync(Cancellation));

        Assert.Equal(["tool", "tool"], events.Take(2).Select(e => e.Name));
        Assert.True(events.Count(e => e.Name == "delta") >= 3);
        Assert.Equal("done", events[^1].Name);
        Assert.Equal("Scripted answer after 2 tool results.", events[^1].Data.GetProperty("reply").GetString());
        Assert.All(model.Requests, r => Assert.True(r["stream"]!.GetValue<bool>()));
    }
}
