using CatalogApi.Services;

namespace CatalogApi.Tests;

public sealed class OptionValueOrderTests
{
    [Fact]
    public void Clothing_sizes_come_in_the_order_they_are_worn() =>
        Assert.Equal(["XS", "S", "S/M", "M", "L", "L/XL", "XL", "XXL"],
            new[] { "XL", "S/M", "M", "XXL", "XS", "L/XL", "S", "L" }.Order(OptionValueOrder.Instance));

    [Fact]
    public void Numbers_sort_as_numbers_with_their_units() =>
        Assert.Equal(["0.5 L", "0.75 L", "2 L", "38", "40", "156 cm"],
            new[] { "156 cm", "40", "2 L", "0.75 L", "38", "0.5 L" }.Order(OptionValueOrder.Instance));

    [Fact]
    public void Everything_else_is_alphabetical_after_sizes_and_numbers() =>
        Assert.Equal(["M", "42", "Black", "red", "Teal"], new[] { "Teal", "red", "42", "Black", "M" }.Order(OptionValueOrder.Instance));
}
