namespace ECommerce.AppHost.Dashboard;

/// <summary>Where the dashboard is and how to sign in: printed at start and written to the state file.</summary>
/// <param name="Url">The dashboard's base URL, e.g. http://127.0.0.1:18888.</param>
/// <param name="Token">The sign-in token of this run.</param>
/// <param name="OtlpEndpoint">The OTLP/HTTP base URL the services export to.</param>
/// <param name="OtlpApiKey">What an exporter sends in the x-otlp-api-key header (OTEL_EXPORTER_OTLP_HEADERS).</param>
public sealed record DashboardInfo(string Url, string Token, string OtlpEndpoint, string OtlpApiKey)
{
    /// <summary>Opening this signs a browser in (a cookie), as Aspire's dashboard link does.</summary>
    public string LoginUrl => $"{Url}/login?t={Token}";
}
