using ECommerce.ServiceDefaults.Clients;
using Npgsql;
using StackExchange.Redis;

namespace ServiceDefaults.Tests.Clients;

public sealed class ClientDefaultsTests
{
    [Fact]
    public void Npgsql_data_sources_prepare_repeated_statements_and_skip_the_reset_on_close()
    {
        var dataSource = new NpgsqlDataSourceBuilder("Host=127.0.0.1;Username=postgres");

        ClientDefaults.ConfigureNpgsql(dataSource);

        Assert.Equal(64, dataSource.ConnectionStringBuilder.MaxAutoPrepare);
        Assert.Equal(2, dataSource.ConnectionStringBuilder.AutoPrepareMinUsages);
        Assert.True(dataSource.ConnectionStringBuilder.NoResetOnClose);
    }

    [Theory]
    [InlineData("Host=127.0.0.1;Max Auto Prepare=0;No Reset On Close=false", 0, 5, false)]
    [InlineData("Host=127.0.0.1;maxautoprepare=8;Auto Prepare Min Usages=3", 8, 3, true)]
    [InlineData("Host=127.0.0.1;Max Auto Prepare=16", 16, 5, true)]
    public void A_connection_string_naming_a_setting_keeps_its_value(string connectionString, int maxAutoPrepare, int minUsages, bool noReset)
    {
        var dataSource = new NpgsqlDataSourceBuilder(connectionString);

        ClientDefaults.ConfigureNpgsql(dataSource);

        Assert.Equal(maxAutoPrepare, dataSource.ConnectionStringBuilder.MaxAutoPrepare);
        Assert.Equal(minUsages, dataSource.ConnectionStringBuilder.AutoPrepareMinUsages);
        Assert.Equal(noReset, dataSource.ConnectionStringBuilder.NoResetOnClose);
    }

    [Fact]
    public void Redis_starts_without_the_server_and_fails_commands_at_once_while_disconnected()
    {
        var options = ConfigurationOptions.Parse("127.0.0.1:6379,abortConnect=true");

        ClientDefaults.ConfigureRedis(options);

        Assert.False(options.AbortOnConnectFail);
        Assert.Same(BacklogPolicy.FailFast, options.BacklogPolicy);
    }
}
