namespace ForecastWorker.Extensions;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        // Validates the bearer tokens OrderingApi issues; endpoints need a signed-in user unless they say otherwise.
        builder.AddDefaultAuthentication();
        builder.AddNpgsqlDataSource("forecastdb");

        // Its own identity (client credentials) for background calls such as pulling sales from OrderingApi:
        // add .AddServiceToken() to that HttpClient.
        builder.AddServiceTokens();
    }
}
