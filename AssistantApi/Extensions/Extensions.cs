namespace AssistantApi.Extensions;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        // Validates the bearer tokens OrderingApi issues; endpoints need a signed-in user unless they say otherwise.
        builder.AddDefaultAuthentication();
        builder.AddRedisClient("redis");
    }
}
