using OrderingApi.Model;

namespace OrderingApi.Tests.Ordering;

/// <summary>"Back in stock" on a favourite: what the customer saw of its stock, look after look.</summary>
public sealed class FavouriteStockTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_favourite_in_stock_all_along_is_never_back_in_stock()
    {
        var stock = FavouriteStock.WhenAdded(inStock: true, T0);
        for (var day = 1; day < 30; day++)
        {
            stock = stock.Seen(inStock: true, T0.AddDays(day));
            Assert.False(stock.BackInStock);
        }
        Assert.Equal(default, stock);
    }

    [Fact]
    public void Sold_out_when_added_then_available_shows_the_badge_for_two_weeks_from_the_first_look()
    {
        var stock = FavouriteStock.WhenAdded(inStock: false, T0);
        Assert.False(stock.Seen(inStock: false, T0.AddHours(1)).BackInStock);

        var back = stock.Seen(inStock: true, T0.AddDays(3));
        Assert.True(back.BackInStock);
        Assert.Equal(T0.AddDays(3), back.BackInStockAt);
        Assert.Equal(back, back.Seen(inStock: true, T0.AddDays(10))); // the first look counts, not the latest
        Assert.True(back.Seen(inStock: true, T0.AddDays(16)).BackInStock);
        Assert.Equal(default, back.Seen(inStock: true, T0.AddDays(17)));
    }

    [Fact]
    public void Seen_sold_out_later_then_back_shows_the_badge_again()
    {
        var stock = FavouriteStock.WhenAdded(inStock: true, T0).Seen(inStock: false, T0.AddDays(1));
        Assert.Equal(T0.AddDays(1), stock.SoldOutSeenAt);
        Assert.Equal(stock, stock.Seen(inStock: false, T0.AddDays(2))); // still the first time it was seen so

        var back = stock.Seen(inStock: true, T0.AddDays(4));
        Assert.True(back.BackInStock);
        var soldOutAgain = back.Seen(inStock: false, T0.AddDays(5));
        Assert.Equal(new FavouriteStock(T0.AddDays(5), null), soldOutAgain);
        Assert.False(soldOutAgain.BackInStock);
        Assert.True(soldOutAgain.Seen(inStock: true, T0.AddDays(6)).BackInStock);
    }
}
