using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ECommerce.ServiceDefaults.OpenApi;

/// <summary>The document's title and description, and the bearer scheme every signed-in operation refers to.</summary>
internal sealed class DocumentInfo(string title, string description) : IOpenApiDocumentTransformer
{
    public const string BearerScheme = "Bearer";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = title,
            Version = "v1",
            Description = description,
            License = new OpenApiLicense { Name = "MIT", Identifier = "MIT" },
        };
        // The server the document was read from, as a base for the paths (which start with '/').
        foreach (var server in document.Servers ?? [])
        {
            server.Url = server.Url?.TrimEnd('/');
        }
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "An access token from ordering-api's POST /api/identity/login (or /refresh); every service accepts it.",
        };
        return Task.CompletedTask;
    }
}
