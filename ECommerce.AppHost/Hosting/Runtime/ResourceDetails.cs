namespace ECommerce.AppHost.Hosting.Runtime;

/// <summary>
/// How a resource was last started: what ran, where, with which environment (as given, unmasked:
/// whoever shows it masks the secrets). Null parts mean it has not been started yet.
/// </summary>
internal sealed record ResourceDetails(
    string Name,
    string Kind,
    string? Source,
    string? Command,
    IReadOnlyList<string> Arguments,
    string? WorkingDirectory,
    IReadOnlyDictionary<string, string> Environment,
    string? Failure);
