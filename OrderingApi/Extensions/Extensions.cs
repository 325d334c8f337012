namespace OrderingApi.Extensions;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDataSource("orderingdb");
        builder.AddRedisClient("redis");
    }
}
