using ECommerce.ServiceDefaults.ErrorHandling;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ECommerce.ServiceDefaults.OpenApi;

/// <summary>
/// What each operation needs and the errors it can answer, all as problem details: the bearer scheme with 401 and 403
/// unless it allows anonymous callers; 400 when it takes input; 503 with <c>Retry-After</c> while a server it needs is down.
/// </summary>
internal sealed class ErrorResponses : IOpenApiOperationTransformer
{
    private const string ProblemSchema = "ProblemDetails";

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var document = context.Document!;
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        if (!document.Components.Schemas.ContainsKey(ProblemSchema))
        {
            var schema = await context.GetOrCreateSchemaAsync(typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), null, cancellationToken);
            document.Components.Schemas[ProblemSchema] = schema;
        }

        operation.Responses ??= new OpenApiResponses();
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<IAllowAnonymous>().Any())
        {
            operation.Security = [];
        }
        else
        {
            operation.Security =
            [
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(DocumentInfo.BearerScheme, document)] = [] },
            ];
            Add(operation, document, StatusCodes.Status401Unauthorized, "No valid access token (missing, expired, or its sign-in ended).");
            Add(operation, document, StatusCodes.Status403Forbidden, "The caller's token does not allow this (another role or scope is needed).");
        }
        if (context.Description.ParameterDescriptions.Count > 0)
        {
            Add(operation, document, StatusCodes.Status400BadRequest, "The input is not valid; the problem says which field and why.");
        }
        if (operation.RequestBody is not null)
        {
            Add(operation, document, StatusCodes.Status415UnsupportedMediaType, "The body is not JSON in UTF-8.");
        }
        var unavailable = Add(operation, document, StatusCodes.Status503ServiceUnavailable,
            "A server this service needs (database, cache, another service) is not answering; try again after Retry-After seconds.");
        unavailable.Headers ??= new Dictionary<string, IOpenApiHeader>();
        unavailable.Headers["Retry-After"] = new OpenApiHeader
        {
            Description = $"Seconds to wait before trying again ({UnavailableProblems.RetryAfterSeconds}).",
            Schema = new OpenApiSchema { Type = JsonSchemaType.Integer },
        };
    }

    private static OpenApiResponse Add(OpenApiOperation operation, OpenApiDocument document, int status, string description)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (operation.Responses!.TryGetValue(key, out var existing) && existing is OpenApiResponse known)
        {
            known.Description = string.IsNullOrEmpty(known.Description) || known.Description == ReasonPhrases.GetReasonPhrase(status)
                ? description
                : known.Description;
            return known;
        }
        var response = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new OpenApiMediaType { Schema = new OpenApiSchemaReference(ProblemSchema, document) },
            },
        };
        operation.Responses[key] = response;
        return response;
    }
}
