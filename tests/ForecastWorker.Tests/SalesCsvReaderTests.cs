using System.IO.Compression;
using System.Text;
using ForecastWorker.Backtest;

namespace ForecastWorker.Tests;

public class SalesCsvReaderTests
{
    private static readonly SalesCsvColumns Columns = new("date", ["store", "item"], "sales");

    private static SalesData Read(string csv, SalesCsvColumns? columns = null) =>
        SalesCsvReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(csv)), columns ?? Columns);

    private static string Fails(string csv, SalesCsvColumns? columns = null) =>
        Assert.Throws<SalesCsvException>(() => Read(csv, columns)).Message;

    [Fact]
    public void Reads_one_series_per_key_from_the_first_row_to_the_last_day()
    {
        var data = Read("""
            date,store,item,sales
            2017-01-01,1,1,3
            2017-01-02,1,1,4
            2017-01-03,1,1,5
            2017-01-02,1,2,7
            2017-01-03,1,2,8
            """);

        Assert.Equal(5, data.Rows);
        Assert.Equal(new DateOnly(2017, 1, 1), data.FirstDay);
        Assert.Equal(new DateOnly(2017, 1, 3), data.LastDay);
        Assert.Equal(["store=1, item=1", "store=1, item=2"], data.Series.Select(s => s.Key));
        Assert.Equal([3.0, 4, 5], data.Series[0].Series.Values.ToArray());
        Assert.Equal(new DateOnly(2017, 1, 2), data.Series[1].Series.Start);
        Assert.Equal([7.0, 8], data.Series[1].Series.Values.ToArray());
        Assert.Empty(data.Repairs);
    }

    [Fact]
    public void Missing_column_is_named_with_the_columns_there_are()
    {
        var message = Fails("date,store,item,qty\n2017-01-01,1,1,3\n");
        Assert.Contains("'sales'", message);
        Assert.Contains("'qty'", message);
    }

    [Theory]
    [InlineData("01/02/2017", "'01/02/2017'")]
    [InlineData("2017-02-30", "'2017-02-30'")]
    [InlineData("yesterday", "'yesterday'")]
    public void Bad_date_is_refused_with_its_line(string date, string quoted)
    {
        var message = Fails($"date,store,item,sales\n2017-01-01,1,1,3\n{date},1,1,4\n");
        Assert.StartsWith("Line 3:", message);
        Assert.Contains(quoted, message);
        Assert.Contains("yyyy-MM-dd", message);
    }

    [Fact]
    public void Negative_value_is_refused_with_its_line_and_series()
    {
        var message = Fails("date,store,item,sales\n2017-01-01,1,1,3\n2017-01-02,1,1,-2\n");
        Assert.StartsWith("Line 3:", message);
        Assert.Contains("negative", message);
        Assert.Contains("store=1, item=1", message);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("abc", "not a number")]
    [InlineData("NaN", "not a number")]
    public void Empty_or_non_numeric_value_is_refused(string value, string expected)
    {
        var message = Fails($"date,store,item,sales\n2017-01-01,1,1,{value}\n");
        Assert.StartsWith("Line 2:", message);
        Assert.Contains(expected, message);
    }

    [Fact]
    public void Short_row_and_empty_input_are_refused()
    {
        Assert.StartsWith("Line 3:", Fails("date,store,item,sales\n2017-01-01,1,1,3\n2017-01-02,1\n"));
        Assert.Contains("empty", Fails(""));
        Assert.Contains("no data rows", Fails("date,store,item,sales\n"));
    }

    [Fact]
    public void Duplicate_days_are_summed_and_reported()
    {
        var data = Read("date,store,item,sales\n2017-01-01,1,1,3\n2017-01-02,1,1,4\n2017-01-02,1,1,6\n");

        Assert.Equal([3.0, 10], data.Series[0].Series.Values.ToArray());
        var repair = Assert.Single(data.Repairs);
        Assert.Contains("1 row(s) repeated", repair);
        Assert.Contains("lines 3 and 4", repair);
    }

    [Fact]
    public void Gaps_and_early_ends_are_zero_sales_and_reported()
    {
        var data = Read("""
            date,store,item,sales
            2017-01-01,1,1,3
            2017-01-04,1,1,5
            2017-01-05,1,1,1
            2017-01-01,1,2,2
            2017-01-03,1,2,2
            """);

        Assert.Equal([3.0, 0, 0, 5, 1], data.Series[0].Series.Values.ToArray());
        Assert.Equal([2.0, 0, 2, 0, 0], data.Series[1].Series.Values.ToArray());
        Assert.Contains(data.Repairs, r => r.Contains("3 day(s) without a row inside 2 series"));
        Assert.Contains(data.Repairs, r => r.Contains("1 series end before the last day 2017-01-05"));
    }

    [Fact]
    public void Unsorted_rows_times_of_day_and_other_separators_are_read()
    {
        var data = Read("day;sku;qty\n2017-01-03T00:00:00;a;3\n2017-01-01 10:30:00;a;1\n2017-01-02;a;2\n",
            new SalesCsvColumns("day", ["sku"], "qty"));

        Assert.Equal([1.0, 2, 3], data.Series[0].Series.Values.ToArray());
        Assert.Contains(data.Repairs, r => r.Contains("time of day"));
    }

    [Fact]
    public void Without_keys_the_file_is_one_series()
    {
        var data = Read("date,sales\n2017-01-01,1\n2017-01-02,2\n", new SalesCsvColumns("date", [], "sales"));
        Assert.Equal("all rows", Assert.Single(data.Series).Key);
    }

    [Fact]
    public void Gzip_is_recognised_from_its_content()
    {
        var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes("date,store,item,sales\n2017-01-01,1,1,3\n2017-01-02,1,1,4\n"));
        }
        buffer.Position = 0;

        var data = SalesCsvReader.Read(buffer, Columns);

        Assert.Equal([3.0, 4], data.Series[0].Series.Values.ToArray());
    }

    [Fact]
    public void Broken_gzip_is_a_clear_error()
    {
        var bytes = new byte[] { 0x1f, 0x8b, 1, 2, 3, 4, 5, 6, 7, 8, 9 };
        var error = Assert.Throws<SalesCsvException>(() => SalesCsvReader.Read(new MemoryStream(bytes), Columns));
        Assert.Contains("gzip", error.Message);
    }
}
