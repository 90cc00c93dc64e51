global using Grid.TestKit;
