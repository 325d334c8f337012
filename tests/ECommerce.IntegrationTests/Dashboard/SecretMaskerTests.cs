using ECommerce.AppHost.Dashboard;

namespace ECommerce.IntegrationTests.Dashboard;

public sealed class SecretMaskerTests
{
    private const string Mask = SecretMasker.Mask;

    [Theory]
    [InlineData("Identity__Admin__Password", "p4ss!")]
    [InlineData("OPENAI_API_KEY", "sk-123")]
    [InlineData("GITHUB_TOKEN", "ghp_abc")]
    [InlineData("Jwt__Secret", "s3cret")]
    public void Variables_named_like_a_secret_are_masked_whole(string name, string value) =>
        Assert.Equal(Mask, SecretMasker.MaskVariable(name, value));

    [Theory]
    [InlineData("ConnectionStrings__catalogdb", "Host=127.0.0.1;Port=5432;Username=postgres;Password=abc123;Database=catalogdb",
        "Host=127.0.0.1;Port=5432;Username=postgres;Password=" + Mask + ";Database=catalogdb")]
    [InlineData("ConnectionStrings__redis", "127.0.0.1:6379,password=abc123", "127.0.0.1:6379,password=" + Mask)]
    [InlineData("ConnectionStrings__keyringdb", "Host=h;Password=abc123", "Host=h;Password=" + Mask)]
    [InlineData("OTEL_EXPORTER_OTLP_HEADERS", "x-otlp-api-key=abc123", "x-otlp-api-key=" + Mask)]
    [InlineData("Upstream__Url", "https://user:abc123@example.com/api", "https://user:" + Mask + "@example.com/api")]
    [InlineData("ASPNETCORE_URLS", "http://127.0.0.1:5100", "http://127.0.0.1:5100")]
    [InlineData("OTEL_RESOURCE_ATTRIBUTES", "service.instance.id=catalog-api-5101", "service.instance.id=catalog-api-5101")]
    public void Secrets_inside_values_are_masked_and_the_rest_kept(string name, string value, string expected) =>
        Assert.Equal(expected, SecretMasker.MaskVariable(name, value));

    [Fact]
    public void The_value_after_a_secret_option_is_masked()
    {
        Assert.Equal(
            ["--port", "6379", "--requirepass", Mask, "--save", ""],
            SecretMasker.MaskArguments(["--port", "6379", "--requirepass", "abc123", "--save", ""]));
        Assert.Equal("redis-server --requirepass " + Mask + " --save ''", SecretMasker.MaskCommandLine("redis-server", ["--requirepass", "x", "--save", ""]));
    }
}
