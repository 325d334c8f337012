using ECommerce.ServiceDefaults.OpenApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Scalar.AspNetCore;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The OpenAPI document of an API service (Microsoft.AspNetCore.OpenApi) at <c>/openapi/v1.json</c>, anonymous in every
/// environment, and in Development an API reference page (Scalar) at <c>/scalar</c>.
/// </summary>
public static class OpenApiExtensions
{
    /// <summary>The document's address.</summary>
    public const string DocumentPath = "/openapi/v1.json";

    /// <summary>
    /// Describes every endpoint with its request and response schemas, who may call it (the bearer scheme, 401/403) and
    /// the error answers every endpoint can give (400 for bad input, 503 with Retry-After while a server is down).
    /// <c>MapDefaultEndpoints</c> then maps the document.
    /// </summary>
    public static TBuilder AddDefaultOpenApi<TBuilder>(this TBuilder builder, string description) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer(new DocumentInfo(builder.Environment.ApplicationName, description));
            options.AddOperationTransformer<ErrorResponses>();
        });
        builder.Services.AddSingleton<DefaultOpenApiMarker>();
        return builder;
    }

    internal static void MapDefaultOpenApi(this WebApplication app)
    {
        if (app.Services.GetService<DefaultOpenApiMarker>() is null)
        {
            return;
        }
        app.MapOpenApi(DocumentPath).AllowAnonymous().ExcludeFromDescription();
        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference(options => options.WithOpenApiRoutePattern(DocumentPath)).AllowAnonymous();
        }
    }
}

internal sealed class DefaultOpenApiMarker;
